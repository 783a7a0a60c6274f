import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import {
  type Activities, approvalStateQuery, type ApprovalState, decideUpdate, type InvoiceApprovalInput, searchAttributes,
} from '../../src/contracts';
import { invoiceApproval } from '../../src/workflows/invoice-approval.workflow';
import { testEnv } from './env';
import { until } from './until';
import { productWorkflows } from './workflows';

/** temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD (the proto package is not a direct dependency). */
const KEYWORD = 2;

type Recorded = Pick<Activities,
  'markPending' | 'openApprovalTasks' | 'notifyApprovalRequested' | 'recordDecision' | 'remindApprovers' | 'completeApproval' |
  'notifyApprovalOutcome' | 'cancelApproval' | 'escalateApproval' | 'moveApprovalRequests'>;

/** The granular approval activities, each recording its input in `calls` and answering as the real one does when all goes well. */
export function recordingApprovalActivities() {
  const calls: { [K in keyof Recorded]: Parameters<Recorded[K]>[0][] } = {
    markPending: [], openApprovalTasks: [], notifyApprovalRequested: [], recordDecision: [], remindApprovers: [],
    completeApproval: [], notifyApprovalOutcome: [], cancelApproval: [], escalateApproval: [], moveApprovalRequests: [],
  };
  const parts: Recorded = {
    async markPending(i) { calls.markPending.push(i); },
    async openApprovalTasks(i) { calls.openApprovalTasks.push(i); return { opened: i.approverIds.length }; },
    async notifyApprovalRequested(i) { calls.notifyApprovalRequested.push(i); return { notified: i.userIds.length }; },
    async recordDecision(i) { calls.recordDecision.push(i); },
    async remindApprovers(i) { calls.remindApprovers.push(i); return { reminded: i.approverIds.length }; },
    async completeApproval(i) { calls.completeApproval.push(i); return { applied: true }; },
    async notifyApprovalOutcome(i) { calls.notifyApprovalOutcome.push(i); return { notified: 1 }; },
    async cancelApproval(i) { calls.cancelApproval.push(i); },
    async escalateApproval(i) { calls.escalateApproval.push(i); return { notified: 1 }; },
    async moveApprovalRequests(i) { calls.moveApprovalRequests.push(i); return { moved: i.moves.length }; },
  };
  return { calls, parts };
}

/** The type of the ApplicationFailure an Update was refused with (a DecisionRefusal), or undefined for any other error. */
export const refusalType = (err: unknown): string | undefined =>
  err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure ? err.cause.type ?? undefined : undefined;

/** Polls the run's state until `done` holds. */
export const reached = (handle: WorkflowHandle, done: (s: ApprovalState) => boolean) =>
  until(() => handle.query(approvalStateQuery), done, 'the expected state of the workflow', { attempts: 200, intervalMs: 25 });
export const pendingOn = (handle: WorkflowHandle, step: number) => reached(handle, (s) => s.status === 'pending' && s.currentStep === step);
export const approve = (handle: WorkflowHandle, userId: string, comment?: string) =>
  handle.executeUpdate(decideUpdate, { args: [{ decision: 'approve', userId, isAdmin: false, comment }] });

/**
 * A time-skipping Temporal for one describe block (call it inside `describe`): started in `beforeAll` with the search
 * attributes the workflows set, torn down in `afterAll`. Each test runs its own worker on its own task queue
 * (`<queuePrefix>-<key>`): a worker of a failed test may still be shutting down.
 */
export function approvalWorkflowEnv(queuePrefix: string) {
  let env: TestWorkflowEnvironment | undefined;

  beforeAll(async () => {
    env = await TestWorkflowEnvironment.createTimeSkipping({
      server: { executable: { type: 'existing-path', path: testEnv().temporalTestServerPath } },
    });
    // The test server knows no custom search attribute until told, like a fresh cluster.
    await env.connection.operatorService.addSearchAttributes({
      namespace: env.namespace ?? 'default',
      searchAttributes: Object.fromEntries(Object.values(searchAttributes).map((key) => [key.name, KEYWORD])),
    });
  });
  afterAll(() => env?.teardown());

  const current = (): TestWorkflowEnvironment => {
    if (!env) throw new Error('approvalWorkflowEnv: the environment is only there inside a test');
    return env;
  };

  /** Runs `body` while a worker of src/workflows with `activities` polls the task queue named by `key`. */
  async function withWorker<T>(key: string, activities: object, body: (taskQueue: string) => Promise<T>): Promise<T> {
    const taskQueue = `${queuePrefix}-${key}`;
    const worker = await Worker.create({ connection: current().nativeConnection, taskQueue, ...productWorkflows(), activities });
    return worker.runUntil(() => body(taskQueue));
  }

  /** Starts an invoice approval the way the API does: its workflow id and search attributes. */
  const startInvoiceApproval = (taskQueue: string, args: InvoiceApprovalInput) => current().client.workflow.start(invoiceApproval, {
    taskQueue, workflowId: `invoice-approval-${args.invoiceId}-${args.submission}`, args: [args],
    typedSearchAttributes: [{ key: searchAttributes.companyId, value: args.companyId }, { key: searchAttributes.invoiceId, value: args.invoiceId }],
  });

  /**
   * Runs `body` with the handles, then terminates every run: for a failed test, a run left open would fire its timers
   * during a later test's time skip.
   */
  async function terminating<H extends WorkflowHandle, T>(handles: H[], body: (handles: H[]) => Promise<T>): Promise<T> {
    try {
      return await body(handles);
    } finally {
      await Promise.all(handles.map((h) => h.terminate('test over').catch(() => undefined)));
    }
  }

  /** One invoice approval run of `args` on its own worker with `mocks.activities`. */
  function run<T>(mocks: { activities: object }, args: InvoiceApprovalInput, body: (h: WorkflowHandle<typeof invoiceApproval>) => Promise<T>): Promise<T> {
    return withWorker(args.approvalId, mocks.activities, async (taskQueue) =>
      terminating([await startInvoiceApproval(taskQueue, args)], ([handle]) => body(handle)));
  }

  return {
    /** The environment of the running test (its clock: `sleep`, `currentTimeMs`; its `client`). */
    get env() { return current(); },
    withWorker, startInvoiceApproval, terminating, run, reached, pendingOn, approve,
  };
}

// `npm run histories:record` (scripts/record-histories.js) runs this file, never `npm test`: it records the history of
// every workflow type and main path from the current code, on the time-skipping server with typed mock activities, into
// test/histories/, for histories.test.ts to replay. Each path asserts it went where its name says.
import type { WorkflowHandle } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, Worker } from '@temporalio/worker';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { composeApprovalActivities } from '../../src/activities/approval.activities';
import {
  type Activities, approvalStateQuery, type ApprovalState, approveSignal, cancelSignal, decideUpdate, DEFAULT_TASK_QUEUE, delegationSignal,
  type InvoiceApprovalInput, type ReminderSweepInput, type ResolvedApprovalSeats, retryWebhookNowSignal, searchAttributes, seatLostSignal, type SweepCursor,
  type WebhookDeliveryInput, workflowIds, workflowTypes,
} from '../../src/contracts';
import { diagnosticRoundtrip } from '../../src/workflows/diagnostic-roundtrip.workflow';
import { invoiceApproval } from '../../src/workflows/invoice-approval.workflow';
import { paymentReceived } from '../../src/workflows/payment-received.workflow';
import { reminderSweep } from '../../src/workflows/reminder-sweep.workflow';
import { webhookDelivery } from '../../src/workflows/webhook-delivery.workflow';
import { until } from '../support/until';
import { HISTORIES_DIR } from './histories';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD (the proto package is not a direct dependency). */
const KEYWORD = 2;

/** A stable uuid per name, so that recording again changes ids, times and run ids only where the path changed. */
function uuid(name: string): string {
  const h = createHash('sha256').update(`relance-history:${name}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${'89ab'[parseInt(h[16], 16) % 4]}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const COMPANY = uuid('company');
const CREATOR = uuid('user:creator');
const APPROVER = uuid('user:approver');
const SECOND_APPROVER = uuid('user:second-approver');
const CONTROLLER = uuid('user:controller');
const WATCHER = uuid('user:watcher');
const FINANCE_LEAD = uuid('user:finance-lead');
const DELEGATE = uuid('user:delegate');
const MEMBER = uuid('user:member');
const SECOND_MEMBER = uuid('user:second-member');
const FINANCE_GROUP = uuid('group:finance');

type ApprovalParts = Pick<Activities,
  'markPending' | 'openApprovalTasks' | 'notifyApprovalRequested' | 'recordDecision' | 'completeApproval' | 'notifyApprovalOutcome' |
  'remindApprovers' | 'cancelApproval' | 'escalateApproval' | 'moveApprovalRequests'>;
type SweepParts = Pick<Activities, 'startRun' | 'findMatchingPage' | 'deliverBatch' | 'finishRun' | 'findEventDefinitions' | 'recordDeferredPart'>;
type Composites = 'openApprovalStep' | 'settleDecision';
type RecorderActivities = Pick<Activities, keyof ApprovalParts | Composites | 'resolveApprovalSeats' | keyof SweepParts | 'recordDiagnosticPing' | 'attemptWebhookDelivery'>;

/** What `resolveApprovalSeats` answers next, one answer per call (a path whose steps name groups sets them). */
let seatAnswers: ResolvedApprovalSeats[] = [];

/** What the real activities answer, without their effects; the approval composites are the real ones over these parts. */
function approvalActivities(): Pick<RecorderActivities, keyof ApprovalParts | Composites | 'resolveApprovalSeats'> {
  const parts: ApprovalParts = {
    async markPending() { /* the invoice is pending_approval */ },
    async openApprovalTasks(i) { return { opened: i.approverIds.length }; },
    async notifyApprovalRequested(i) { return { notified: i.userIds.length }; },
    async recordDecision() { /* the decision row */ },
    async completeApproval() { return { applied: true }; },
    async notifyApprovalOutcome(i) { return { notified: i.notifyUserIds.length + 1 }; },
    async remindApprovers(i) { return { reminded: i.approverIds.length }; },
    async cancelApproval() { /* tasks closed, invoice back to its creator */ },
    async escalateApproval() { return { notified: 1 }; },
    async moveApprovalRequests(i) { return { moved: i.moves.length }; },
  };
  async function resolveApprovalSeats(): Promise<ResolvedApprovalSeats> {
    const [next = { seatIds: [], adminIds: [] }, ...rest] = seatAnswers;
    seatAnswers = rest;
    return next;
  }
  return { ...parts, ...composeApprovalActivities(parts), resolveApprovalSeats };
}

/** A ledger of invoices due on consecutive days, paged by (due date, id) like the real keyset. */
function sweepActivities(options: { invoices?: number; notLive?: string; definitionIds?: string[]; deferUntil?: string } = {}): SweepParts {
  let deferred = false;
  const rows = Array.from({ length: options.invoices ?? 0 }, (_, i) => ({
    id: uuid(`invoice:swept:${i}`), key: new Date(Date.UTC(2026, 11, 4 + i)).toISOString().slice(0, 10),
  }));
  const asOf = '2026-12-01T14:00:00.000Z';
  return {
    async startRun(i) {
      return { runRecordId: uuid(`run:${i.definitionId}`), asOf, notLive: options.notLive ?? null };
    },
    async findMatchingPage({ cursor, limit, recordIds }) {
      if (recordIds) return { ids: recordIds, nextCursor: null, queryMs: 0.42 };
      const start = cursor ? rows.findIndex((r) => r.id === cursor.id) + 1 : 0;
      const page = rows.slice(start, start + limit);
      const last = page[page.length - 1];
      const nextCursor: SweepCursor | null = start + limit < rows.length ? { key: last.key, id: last.id } : null;
      return { ids: page.map((r) => r.id), nextCursor, queryMs: 1.87 };
    },
    async deliverBatch({ recordIds }) {
      if (options.deferUntil && !deferred) {
        // The first pass finds the send window closed: every record waits for its opening.
        deferred = true;
        return { stillMatching: recordIds.length, delivered: 0, skipped: 0, failed: 0, errors: [], deferred: recordIds.map((recordId) => ({ recordId, at: options.deferUntil! })) };
      }
      return { stillMatching: recordIds.length, delivered: recordIds.length, skipped: 0, failed: 0, errors: [] };
    },
    async finishRun() { /* the run record */ },
    async recordDeferredPart() { /* the counts of the workflow delivering what waited */ },
    async findEventDefinitions() { return options.definitionIds ?? []; },
  };
}

describe('recording test/histories', () => {
  let env: TestWorkflowEnvironment;
  let workflowBundle: { code: string };
  const recorded: string[] = [];

  async function startServer() {
    const testServer = process.env.TEMPORAL_TEST_SERVER_PATH;
    if (!testServer) throw new Error('TEMPORAL_TEST_SERVER_PATH is not set: record with `npm run histories:record`');
    env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: testServer } } });
    await env.connection.operatorService.addSearchAttributes({
      namespace: env.namespace ?? 'default',
      searchAttributes: Object.fromEntries(Object.values(searchAttributes).map((key) => [key.name, KEYWORD])),
    });
  }

  beforeAll(async () => {
    await startServer();
    workflowBundle = await bundleWorkflowCode({ workflowsPath: require.resolve('../../src/workflows'), logger: new DefaultLogger('WARN') });
    mkdirSync(HISTORIES_DIR, { recursive: true });
  });
  afterAll(async () => {
    await env?.teardown();
    if (recorded.length) console.log(`recorded into test/histories/:\n${recorded.join('\n')}`);
  });

  /** Runs `body` with a worker on the production task queue, one path after the other. */
  async function withWorker<T>(activities: Partial<RecorderActivities>, body: () => Promise<T>): Promise<T> {
    const worker = await Worker.create({ connection: env.nativeConnection, taskQueue: DEFAULT_TASK_QUEUE, workflowBundle, activities });
    return worker.runUntil(body);
  }

  /** Writes the history of the workflow's run `runId` (by default its latest); answers its events. */
  async function save(file: string, workflowId: string, runId?: string) {
    const history = await env.client.workflow.getHandle(workflowId, runId).fetchHistory();
    const events = history.events ?? [];
    const last = events[events.length - 1];
    if (!last?.workflowExecutionCompletedEventAttributes && !last?.workflowExecutionContinuedAsNewEventAttributes) {
      throw new Error(`${file}: the run did not complete (last event ${last?.eventType})`);
    }
    // A real server fills the started event's workflow id, the test server does not: the replay needs it (a sweep
    // names the workflow it hands its held deliveries to after its own id).
    const started = events[0]?.workflowExecutionStartedEventAttributes;
    if (started && !started.workflowId) started.workflowId = workflowId;
    writeFileSync(path.join(HISTORIES_DIR, file), `${historyToJSON(history)}\n`);
    recorded.push(`  ${file}: ${events.length} events`);
    return events;
  }

  // --- invoiceApproval: started as the API starts it (approvals.service.ts), decided as the API decides (Update) ---

  function approvalInput(name: string, overrides: Partial<InvoiceApprovalInput> = {}): InvoiceApprovalInput {
    const number = `INV-${1000 + (parseInt(uuid(name).slice(0, 4), 16) % 9000)}`;
    return {
      requestMessage: {
        subject: `Approval needed: invoice ${number} for Boulangerie Saint-Roch`,
        // No dates: the test server's clock moves on by every path's waits.
        text: `Camille Tremblay submitted invoice ${number} for Boulangerie Saint-Roch ($12,480.50, due in 45 days) for approval.\n\n`
          + 'Please approve or reject it within 30 days.',
      },
      approvalId: uuid(`approval:${name}`),
      companyId: COMPANY,
      invoiceId: uuid(`invoice:${name}`),
      invoiceNumber: number,
      submission: 1,
      creatorId: CREATOR,
      steps: [{ approverIds: [APPROVER, CONTROLLER] }],
      allowAdmins: false,
      timeout: 30 * DAY,
      reminderLead: 1 * DAY,
      notifyUserIds: [WATCHER],
      push: true,
      ...overrides,
    };
  }

  /**
   * A run of `type`: `invoiceApproval` as runs started before bills had approvals (the invoice's id and number only),
   * `documentApproval` as the API starts every run now (the document, the definition's version).
   */
  async function approval(
    name: string, overrides: Partial<InvoiceApprovalInput>, decide: (handle: WorkflowHandle<typeof invoiceApproval>) => Promise<void>,
    type: string = workflowTypes.invoiceApproval,
  ) {
    const legacy = approvalInput(name, overrides);
    const input: InvoiceApprovalInput = type === workflowTypes.invoiceApproval ? legacy
      : { document: { kind: 'invoice', id: legacy.invoiceId, number: legacy.invoiceNumber, amount: '12480.50' }, definitionVersion: 1, ...legacy };
    const document = input.document ?? { kind: 'invoice', id: input.invoiceId, number: input.invoiceNumber };
    const bill = document.kind === 'bill';
    return withWorker(approvalActivities(), async () => {
      const handle = await env.client.workflow.start<typeof invoiceApproval>(type, {
        taskQueue: DEFAULT_TASK_QUEUE,
        workflowId: bill ? workflowIds.billApproval(document.id, input.submission) : workflowIds.invoiceApproval(document.id, input.submission),
        args: [input],
        typedSearchAttributes: [
          { key: searchAttributes.companyId, value: input.companyId },
          { key: bill ? searchAttributes.billId : searchAttributes.invoiceId, value: document.id },
          { key: searchAttributes.approvalStatus, value: 'pending_approval' },
        ],
        staticSummary: `Approval of ${document.kind} ${document.number} (12480.50 CAD) for Boulangerie Saint-Roch, submission 1: 30-day deadline`,
      });
      try {
        await decide(handle);
        const result = await handle.result();
        await save(`${type === workflowTypes.invoiceApproval ? 'invoice-approval' : 'document-approval'}.${name}.json`, handle.workflowId);
        return result;
      } finally {
        await handle.terminate('recording over').catch(() => undefined);
      }
    });
  }

  const state = (handle: WorkflowHandle<typeof invoiceApproval>, done: (s: ApprovalState) => boolean) =>
    until(() => handle.query(approvalStateQuery), done, 'the approval state', { attempts: 200, intervalMs: 25 });
  const pendingOn = (handle: WorkflowHandle<typeof invoiceApproval>, step: number) =>
    state(handle, (s) => s.status === 'pending' && s.currentStep === step);

  it('invoice-approval.approve: approved through the decide Update', async () => {
    const result = await approval('approve', {}, async (handle) => {
      await pendingOn(handle, 0);
      await env.sleep(3 * HOUR);
      await handle.executeUpdate(decideUpdate, { args: [{ decision: 'approve', userId: APPROVER, isAdmin: false, comment: 'Matches the signed quote.' }] });
    });
    expect(result.status).toBe('approved');
  });

  it('invoice-approval.approve-signal: approved through the approve signal', async () => {
    const result = await approval('approve-signal', {}, async (handle) => {
      await pendingOn(handle, 0);
      await env.sleep(5 * HOUR);
      await handle.signal(approveSignal, { userId: CONTROLLER, isAdmin: false, comment: 'OK' });
    });
    expect(result.status).toBe('approved');
  });

  it('invoice-approval.reject: rejected through the decide Update', async () => {
    const result = await approval('reject', {}, async (handle) => {
      await pendingOn(handle, 0);
      await env.sleep(2 * DAY);
      await handle.executeUpdate(decideUpdate, {
        args: [{ decision: 'reject', userId: CONTROLLER, isAdmin: false, reason: 'The discount was not agreed: bill 12,480.50 without it.' }],
      });
    });
    expect(result.trail).toEqual([expect.objectContaining({ decision: 'rejected', userId: CONTROLLER })]);
  });

  it('invoice-approval.timeout: rejected at the deadline, no reminder', async () => {
    const result = await approval('timeout', { timeout: 7 * DAY, reminderLead: 0 }, async (handle) => {
      await pendingOn(handle, 0);
    });
    expect(result.trail).toEqual([expect.objectContaining({ decision: 'timeout', userId: null })]);
  });

  it('invoice-approval.reminder: approvers reminded a day before the deadline, then approved', async () => {
    const result = await approval('reminder', {}, async (handle) => {
      const pending = await pendingOn(handle, 0);
      await env.sleep(Date.parse(pending.deadline) - DAY + HOUR - (await env.currentTimeMs()));
      await state(handle, (s) => s.reminded);
      await handle.executeUpdate(decideUpdate, { args: [{ decision: 'approve', userId: APPROVER, isAdmin: false }] });
    });
    expect(result.status).toBe('approved');
  });

  it('invoice-approval.multi-step: two sequential steps, each approved', async () => {
    const steps = [{ approverIds: [APPROVER] }, { approverIds: [SECOND_APPROVER, CONTROLLER] }];
    const result = await approval('multi-step', { steps }, async (handle) => {
      await pendingOn(handle, 0);
      await env.sleep(4 * HOUR);
      await handle.executeUpdate(decideUpdate, { args: [{ decision: 'approve', userId: APPROVER, isAdmin: false, comment: 'Budget line 4410.' }] });
      await pendingOn(handle, 1);
      await env.sleep(1 * DAY);
      await handle.executeUpdate(decideUpdate, { args: [{ decision: 'approve', userId: SECOND_APPROVER, isAdmin: false }] });
    });
    expect(result.trail.map((t) => [t.step, t.decision])).toEqual([[0, 'approved'], [1, 'approved']]);
  });

  it('invoice-approval.cancel: ended by an edit of the invoice (cancel signal)', async () => {
    const result = await approval('cancel', {}, async (handle) => {
      await pendingOn(handle, 0);
      await env.sleep(1 * HOUR);
      await handle.signal(cancelSignal, { userId: CREATOR, reason: 'invoice edited' });
    });
    expect(result.status).toBe('cancelled');
  });

  it('invoice-approval.quorum: a 2-of-3 step, approved by two distinct approvers', async () => {
    const steps = [{ approverIds: [APPROVER, SECOND_APPROVER, CONTROLLER], required: 2 }];
    const result = await approval('quorum', { steps }, async (handle) => {
      await pendingOn(handle, 0);
      await env.sleep(2 * HOUR);
      await handle.executeUpdate(decideUpdate, { args: [{ decision: 'approve', userId: APPROVER, isAdmin: false, comment: 'Quote matches.' }] });
      await env.sleep(1 * DAY);
      await handle.executeUpdate(decideUpdate, { args: [{ decision: 'approve', userId: CONTROLLER, isAdmin: false, via: 'email' }] });
    });
    expect(result.trail.map((t) => [t.decision, t.userId, t.closesStep])).toEqual([['approved', APPROVER, false], ['approved', CONTROLLER, true]]);
  });

  it('invoice-approval.quorum-same-person: a delegate who is also an approver approves once; the second approval, by signal, is ignored', async () => {
    const steps = [{ approverIds: [APPROVER, SECOND_APPROVER, CONTROLLER], required: 2 }];
    const result = await approval('quorum-same-person', { steps }, async (handle) => {
      await pendingOn(handle, 0);
      const now = await env.currentTimeMs();
      await handle.signal(delegationSignal, {
        delegatorId: SECOND_APPROVER, delegation: { delegateId: APPROVER, from: new Date(now - HOUR).toISOString(), until: new Date(now + 20 * DAY).toISOString() },
      });
      await state(handle, (s) => (s.eligible ?? []).some((e) => e.onBehalfOf === SECOND_APPROVER));
      await env.sleep(2 * HOUR);
      await handle.executeUpdate(decideUpdate, { args: [{ decision: 'approve', userId: APPROVER, isAdmin: false, comment: 'Quote matches.' }] });
      await handle.signal(approveSignal, { userId: APPROVER, isAdmin: false, comment: 'And for my colleague, away.' });
      await state(handle, (s) => s.ignored.length === 1);
      await env.sleep(1 * DAY);
      await handle.executeUpdate(decideUpdate, { args: [{ decision: 'approve', userId: CONTROLLER, isAdmin: false }] });
    });
    expect(result.trail.map((t) => [t.decision, t.userId, t.closesStep])).toEqual([['approved', APPROVER, false], ['approved', CONTROLLER, true]]);
  });

  it('invoice-approval.email-decision: approved from the link of the approval email (via email)', async () => {
    const result = await approval('email-decision', {}, async (handle) => {
      await pendingOn(handle, 0);
      await env.sleep(6 * HOUR);
      await handle.executeUpdate(decideUpdate, { args: [{ decision: 'approve', userId: CONTROLLER, isAdmin: false, comment: 'From my phone.', via: 'email' }] });
    });
    expect(result.trail).toEqual([expect.objectContaining({ decision: 'approved', userId: CONTROLLER, via: 'email' })]);
  });

  it('invoice-approval.stale-step: a decision bound to step 1 (an email link) arrives once step 2 is pending and is ignored', async () => {
    const steps = [{ approverIds: [APPROVER] }, { approverIds: [APPROVER, CONTROLLER] }];
    const result = await approval('stale-step', { steps }, async (handle) => {
      await pendingOn(handle, 0);
      await env.sleep(2 * HOUR);
      await handle.executeUpdate(decideUpdate, { args: [{ decision: 'approve', userId: APPROVER, isAdmin: false, via: 'email', step: 0 }] });
      await pendingOn(handle, 1);
      await handle.signal(approveSignal, { userId: APPROVER, isAdmin: false, via: 'email', step: 0 });
      await state(handle, (s) => s.ignored.some((i) => i.why === 'stale_step'));
      await env.sleep(1 * DAY);
      await handle.executeUpdate(decideUpdate, { args: [{ decision: 'approve', userId: CONTROLLER, isAdmin: false, via: 'email', step: 1 }] });
    });
    expect(result.trail.map((t) => [t.step, t.decision, t.userId])).toEqual([[0, 'approved', APPROVER], [1, 'approved', CONTROLLER]]);
  });

  it('invoice-approval.escalation: nobody decides for three days, the finance lead joins and approves', async () => {
    const steps = [{ approverIds: [APPROVER], escalateAfterDays: 3, escalateToId: FINANCE_LEAD }];
    const result = await approval('escalation', { steps }, async (handle) => {
      await pendingOn(handle, 0);
      await env.sleep(3 * DAY + HOUR);
      await state(handle, (s) => (s.escalated ?? []).length === 1);
      await handle.executeUpdate(decideUpdate, { args: [{ decision: 'approve', userId: FINANCE_LEAD, isAdmin: false }] });
    });
    expect(result.trail.map((t) => [t.decision, t.userId])).toEqual([['escalated', FINANCE_LEAD], ['approved', FINANCE_LEAD]]);
  });

  it('invoice-approval.delegation-moved: a delegation starts while the step waits, the delegate decides on behalf of the approver', async () => {
    const steps = [{ approverIds: [APPROVER] }];
    const result = await approval('delegation-moved', { steps }, async (handle) => {
      await pendingOn(handle, 0);
      const now = await env.currentTimeMs();
      await handle.signal(delegationSignal, {
        delegatorId: APPROVER, delegation: { delegateId: DELEGATE, from: new Date(now + DAY).toISOString(), until: new Date(now + 8 * DAY).toISOString() },
      });
      await env.sleep(DAY + HOUR);
      await state(handle, (s) => (s.eligible ?? []).some((e) => e.userId === DELEGATE));
      await handle.executeUpdate(decideUpdate, { args: [{ decision: 'approve', userId: DELEGATE, isAdmin: false, comment: 'For the approver, away.' }] });
    });
    expect(result.trail).toEqual([expect.objectContaining({ decision: 'approved', userId: DELEGATE, onBehalfOf: APPROVER })]);
  });

  it('invoice-approval.delegation-moved-back: a delegation starts and ends while the step waits, undecided; the approver decides', async () => {
    const steps = [{ approverIds: [APPROVER] }];
    const result = await approval('delegation-moved-back', { steps }, async (handle) => {
      await pendingOn(handle, 0);
      const now = await env.currentTimeMs();
      await handle.signal(delegationSignal, {
        delegatorId: APPROVER, delegation: { delegateId: DELEGATE, from: new Date(now + DAY).toISOString(), until: new Date(now + 3 * DAY).toISOString() },
      });
      await env.sleep(DAY + HOUR);
      await state(handle, (s) => (s.eligible ?? []).some((e) => e.userId === DELEGATE));
      await env.sleep(2 * DAY);
      await state(handle, (s) => (s.eligible ?? []).some((e) => e.userId === APPROVER));
      await handle.executeUpdate(decideUpdate, { args: [{ decision: 'approve', userId: APPROVER, isAdmin: false, comment: 'Back from leave.' }] });
    });
    expect(result.trail).toEqual([expect.objectContaining({ decision: 'approved', userId: APPROVER, onBehalfOf: null })]);
  });

  it('invoice-approval.creator-delegate: the approver delegated to the invoice\'s creator, keeps the seat and approves', async () => {
    const now = await env.currentTimeMs();
    const delegations = [{ delegatorId: APPROVER, delegateId: CREATOR, from: new Date(now - DAY).toISOString(), until: new Date(now + 40 * DAY).toISOString() }];
    const result = await approval('creator-delegate', { steps: [{ approverIds: [APPROVER] }], delegations }, async (handle) => {
      await pendingOn(handle, 0);
      await env.sleep(2 * HOUR);
      await handle.executeUpdate(decideUpdate, { args: [{ decision: 'approve', userId: APPROVER, isAdmin: false }] });
    });
    expect(result.trail).toEqual([expect.objectContaining({ decision: 'approved', userId: APPROVER, onBehalfOf: null })]);
  });

  // --- documentApproval: every run the API starts now, of an invoice or a bill ---

  const DOCUMENT_APPROVAL = workflowTypes.documentApproval;

  it('document-approval.approve: an invoice approved through the decide Update', async () => {
    const result = await approval('approve', {}, async (handle) => {
      await pendingOn(handle, 0);
      await env.sleep(3 * HOUR);
      await handle.executeUpdate(decideUpdate, { args: [{ decision: 'approve', userId: APPROVER, isAdmin: false, comment: 'Matches the signed quote.' }] });
    }, DOCUMENT_APPROVAL);
    expect(result.status).toBe('approved');
  });

  it('document-approval.reject: an invoice rejected through the decide Update', async () => {
    const result = await approval('reject', {}, async (handle) => {
      await pendingOn(handle, 0);
      await env.sleep(2 * DAY);
      await handle.executeUpdate(decideUpdate, {
        args: [{ decision: 'reject', userId: CONTROLLER, isAdmin: false, reason: 'The discount was not agreed: bill 12,480.50 without it.' }],
      });
    }, DOCUMENT_APPROVAL);
    expect(result.trail).toEqual([expect.objectContaining({ decision: 'rejected', userId: CONTROLLER })]);
  });

  it('document-approval.timeout: an invoice rejected at the deadline after the reminder', async () => {
    const result = await approval('timeout', { timeout: 7 * DAY }, async (handle) => {
      await pendingOn(handle, 0);
    }, DOCUMENT_APPROVAL);
    expect(result.trail).toEqual([expect.objectContaining({ decision: 'timeout', userId: null })]);
  });

  it('document-approval.bill-approve: a bill, two steps, approved from the email link then through the API', async () => {
    const billId = uuid('bill:bill-approve');
    const document = { kind: 'bill' as const, id: billId, number: 'B-2207', amount: '3410.00' };
    const steps = [{ approverIds: [APPROVER] }, { approverIds: [CONTROLLER] }];
    const result = await approval('bill-approve', { document, invoiceId: '', invoiceNumber: '', definitionVersion: 2, steps }, async (handle) => {
      await pendingOn(handle, 0);
      await env.sleep(5 * HOUR);
      await handle.executeUpdate(decideUpdate, { args: [{ decision: 'approve', userId: APPROVER, isAdmin: false, via: 'email', step: 0 }] });
      await pendingOn(handle, 1);
      await env.sleep(1 * DAY);
      await handle.executeUpdate(decideUpdate, { args: [{ decision: 'approve', userId: CONTROLLER, isAdmin: false, comment: 'Paid next run.' }] });
    }, DOCUMENT_APPROVAL);
    expect(result.trail.map((t) => [t.step, t.decision, t.userId])).toEqual([[0, 'approved', APPROVER], [1, 'approved', CONTROLLER]]);
  });

  it('document-approval.group-approved: a step of the finance group, its seats read when it opens; a member approves', async () => {
    seatAnswers = [{ seatIds: [MEMBER, SECOND_MEMBER], adminIds: [CONTROLLER] }];
    const steps = [{ approverIds: [], groupIds: [FINANCE_GROUP] }];
    const result = await approval('group-approved', { steps }, async (handle) => {
      await state(handle, (s) => s.status === 'pending' && (s.eligible ?? []).length === 2);
      await handle.executeUpdate(decideUpdate, { args: [{ decision: 'approve', userId: MEMBER, isAdmin: false }] });
    }, DOCUMENT_APPROVAL);
    expect(result.trail).toEqual([expect.objectContaining({ decision: 'approved', userId: MEMBER })]);
  });

  it('document-approval.limit-escalated: routed by limit, nobody\'s limit covers the amount; the finance lead is asked at once and approves', async () => {
    seatAnswers = [{ seatIds: [], adminIds: [CONTROLLER] }];
    const steps = [{ approverIds: [], groupIds: [FINANCE_GROUP], routing: 'limit' as const, escalateToId: FINANCE_LEAD }];
    const result = await approval('limit-escalated', { steps }, async (handle) => {
      await state(handle, (s) => (s.escalated ?? []).length === 1);
      await handle.executeUpdate(decideUpdate, { args: [{ decision: 'approve', userId: FINANCE_LEAD, isAdmin: false }] });
    }, DOCUMENT_APPROVAL);
    expect(result.trail.map((t) => [t.decision, t.userId])).toEqual([['escalated', FINANCE_LEAD], ['approved', FINANCE_LEAD]]);
  });

  it('document-approval.seat-lost-escalated: a 2-of-2 group step; after one approval the other member leaves the group, the finance lead joins and approves', async () => {
    seatAnswers = [{ seatIds: [MEMBER, SECOND_MEMBER], adminIds: [CONTROLLER] }, { seatIds: [MEMBER], adminIds: [CONTROLLER] }];
    const steps = [{ approverIds: [], groupIds: [FINANCE_GROUP], required: 2, escalateToId: FINANCE_LEAD }];
    const result = await approval('seat-lost-escalated', { steps }, async (handle) => {
      await state(handle, (s) => s.status === 'pending' && (s.eligible ?? []).length === 2);
      await handle.executeUpdate(decideUpdate, { args: [{ decision: 'approve', userId: MEMBER, isAdmin: false }] });
      await env.sleep(2 * HOUR);
      await handle.signal(seatLostSignal, { userId: SECOND_MEMBER, reason: 'removed_from_group', groupId: FINANCE_GROUP });
      await state(handle, (s) => (s.escalated ?? []).length === 1);
      await handle.executeUpdate(decideUpdate, { args: [{ decision: 'approve', userId: FINANCE_LEAD, isAdmin: false }] });
    }, DOCUMENT_APPROVAL);
    expect(result.trail.map((t) => [t.decision, t.userId])).toEqual([
      ['approved', MEMBER], ['seat_lost', SECOND_MEMBER], ['escalated', FINANCE_LEAD], ['approved', FINANCE_LEAD],
    ]);
  });

  // --- reminderSweep: started as its Schedule starts it (reminder-scheduler.ts sweepAction) ---

  async function sweep(name: string, definitionId: string, activities: SweepParts, sizes: Partial<ReminderSweepInput> = {}) {
    const args: [ReminderSweepInput] = [{ definitionId, companyId: COMPANY, kind: 'sweep', trigger: 'schedule', ...sizes }];
    return withWorker(activities, async () => {
      const handle = await env.client.workflow.start(reminderSweep, {
        taskQueue: DEFAULT_TASK_QUEUE,
        workflowId: `${workflowIds.reminderSweep(definitionId)}-2026-12-01T14:00:00Z`,
        args,
        typedSearchAttributes: [
          { key: searchAttributes.workflowDefinitionId, value: definitionId },
          { key: searchAttributes.companyId, value: COMPANY },
        ],
        staticSummary: `Reminder sweep "Due in three days" (payment-due-reminder) for Boulangerie Saint-Roch`,
      });
      try {
        return { handle, result: await handle.result() };
      } finally {
        await handle.terminate('recording over').catch(() => undefined);
      }
    });
  }

  it('reminder-sweep.continue-as-new: six pages, two per run, each page in two batches', async () => {
    const { handle, result } = await sweep('continue-as-new', uuid('definition:due-reminder'), sweepActivities({ invoices: 22 }),
      { pageSize: 4, batchSize: 2, pagesPerRun: 2 });
    expect(result).toMatchObject({ outcome: 'completed', matched: 22, delivered: 22, pages: 6, continuedAsNew: 2 });
    const names = ['first-run', 'middle-run', 'last-run'];
    let runId: string | undefined = handle.firstExecutionRunId;
    for (const [i, name] of names.entries()) {
      if (!runId) throw new Error(`the sweep has no run ${i + 1}`);
      const events = await save(`reminder-sweep.continue-as-new.${name}.json`, handle.workflowId, runId);
      runId = events[events.length - 1]?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
    }
    expect(runId).toBeUndefined();
  });

  it('reminder-sweep.not-live: the definition was deactivated, nothing delivered', async () => {
    const { handle, result } = await sweep('not-live', uuid('definition:inactive'),
      sweepActivities({ invoices: 3, notLive: 'the definition is inactive, not active' }));
    expect(result).toMatchObject({ outcome: 'not-live', delivered: 0 });
    await save('reminder-sweep.not-live.json', handle.workflowId);
  });

  it('reminder-sweep.send-window: customer emails held for the send window, delivered at its opening', async () => {
    const opening = new Date(Date.now() + 18 * HOUR).toISOString();
    const definitionId = uuid('definition:collection');
    const workflowId = `${workflowIds.reminderSweep(definitionId)}-2026-12-01T14:00:00Z`;
    const deferredId = workflowIds.reminderDeferredDeliveries(workflowId, 0);
    await withWorker(sweepActivities({ invoices: 3, deferUntil: opening }), async () => {
      const handle = await env.client.workflow.start(reminderSweep, {
        taskQueue: DEFAULT_TASK_QUEUE, workflowId,
        args: [{ definitionId, companyId: COMPANY, kind: 'sweep', trigger: 'schedule' }],
        typedSearchAttributes: [{ key: searchAttributes.workflowDefinitionId, value: definitionId }, { key: searchAttributes.companyId, value: COMPANY }],
        staticSummary: 'Reminder sweep "Dunning" (collection-sequence) for Boulangerie Saint-Roch',
      });
      // The run hands its held emails to a workflow of their own and ends; that one delivers them at the opening.
      expect(await handle.result()).toMatchObject({ outcome: 'completed', matched: 3, delivered: 0, deferred: 3 });
      expect(await env.client.workflow.getHandle(deferredId).result()).toMatchObject({ delivered: 3, gaveUp: 0 });
    });
    const events = await save('reminder-sweep.send-window.json', workflowId);
    expect(events.some((e) => e.startChildWorkflowExecutionInitiatedEventAttributes)).toBe(true);
    expect(events.some((e) => e.timerStartedEventAttributes)).toBe(false);
    const held = await save('reminder-deferred-deliveries.opening.json', deferredId);
    expect(held.some((e) => e.timerStartedEventAttributes)).toBe(true);
    // After a sweep that handed its deliveries to a child, the test server's clock no longer skips ahead (cause not
    // found in the test server): the webhook paths' backoff timers then ran in real time, past Jest's timeout. The
    // paths after this one get a server of their own.
    await env.teardown();
    await startServer();
  });

  // --- paymentReceived: started as the API starts it (payment-events.ts), with its child sweep ---

  it('payment-received.child-sweep: one matching definition, delivered by a child sweep', async () => {
    const paymentId = uuid('payment');
    const definitionId = uuid('definition:payment-received');
    await withWorker(sweepActivities({ definitionIds: [definitionId] }), async () => {
      const handle = await env.client.workflow.start(paymentReceived, {
        taskQueue: DEFAULT_TASK_QUEUE,
        workflowId: workflowIds.paymentReceived(paymentId),
        args: [{ paymentId, companyId: COMPANY }],
        typedSearchAttributes: [{ key: searchAttributes.companyId, value: COMPANY }],
        staticSummary: `Payment ${paymentId} received: notify per the payment-received workflows`,
      });
      const result = await handle.result();
      expect(result.runs).toEqual([expect.objectContaining({ definitionId, outcome: 'completed', delivered: 1 })]);
      await save('payment-received.child-sweep.json', handle.workflowId);
      await save('reminder-sweep.payment-event.json', workflowIds.paymentReceivedDelivery(paymentId, definitionId));
    });
  });

  // --- diagnosticRoundtrip: started as the API starts it (diagnostics.service.ts) ---

  it('diagnostic-roundtrip.completed: the ping recorded', async () => {
    const pingId = uuid('ping');
    const activities: Pick<Activities, 'recordDiagnosticPing'> = {
      async recordDiagnosticPing(i) { return { pingId: i.pingId, workerIdentity: 'relance-worker-7c9f', recordedAt: '2026-12-01T14:00:00.512Z' }; },
    };
    await withWorker(activities, async () => {
      const handle = await env.client.workflow.start(diagnosticRoundtrip, {
        taskQueue: DEFAULT_TASK_QUEUE,
        workflowId: workflowIds.diagnosticRoundtrip(pingId),
        args: [{ pingId }],
        workflowExecutionTimeout: '15000 milliseconds',
        staticSummary: 'Diagnostic round trip: API → Temporal → worker → Postgres',
      });
      expect(await handle.result()).toMatchObject({ pingId });
      await save('diagnostic-roundtrip.completed.json', handle.workflowId);
    });
  });

  // --- webhookDelivery: started as the worker's dispatcher starts it (infra/webhook-deliveries.ts) ---

  /** A receiver that answers the given statuses in turn (the last one from then on); `gone` when the endpoint is deleted. */
  function webhookActivities(answers: Array<number | 'gone'>): Pick<Activities, 'attemptWebhookDelivery'> & { calls: number } {
    const a = {
      calls: 0,
      async attemptWebhookDelivery() {
        const answer = answers[Math.min(a.calls, answers.length - 1)];
        a.calls += 1;
        if (answer === 'gone') return { outcome: 'gone' as const, statusCode: null, error: null };
        const ok = answer >= 200 && answer < 300;
        return { outcome: ok ? 'delivered' as const : 'failed' as const, statusCode: answer, error: ok ? null : `answered ${answer}` };
      },
    };
    return a;
  }

  async function webhook(name: string, answers: Array<number | 'gone'>, retry: WebhookDeliveryInput['retry'], during?: (h: WorkflowHandle<typeof webhookDelivery>) => Promise<void>) {
    const deliveryId = uuid(`webhook-delivery:${name}`);
    const activities = webhookActivities(answers);
    return withWorker(activities, async () => {
      const handle = await env.client.workflow.start(webhookDelivery, {
        taskQueue: DEFAULT_TASK_QUEUE,
        workflowId: workflowIds.webhookDelivery(deliveryId),
        args: [{ deliveryId, retry }],
        typedSearchAttributes: [{ key: searchAttributes.companyId, value: COMPANY }],
        staticSummary: `Webhook delivery ${deliveryId}`,
      });
      await during?.(handle);
      const result = await handle.result();
      await save(`webhook-delivery.${name}.json`, handle.workflowId);
      return { result, calls: activities.calls };
    });
  }

  const DEFAULT_RETRY = { initialMs: 10_000, maximumMs: HOUR, forMs: 3 * DAY };

  it('webhook-delivery.retried: answered 500 twice, then 200', async () => {
    const { result, calls } = await webhook('retried', [500, 500, 200], DEFAULT_RETRY);
    expect(result).toEqual({ deliveryId: expect.any(String), outcome: 'delivered', attempts: 3 });
    expect(calls).toBe(3);
  });

  it('webhook-delivery.gave-up: never a 2xx within the retry window', async () => {
    const { result } = await webhook('gave-up', [503], { initialMs: 60_000, maximumMs: 10 * 60_000, forMs: HOUR });
    expect(result).toMatchObject({ outcome: 'failed' });
    expect(result.attempts).toBeGreaterThan(3);
  });

  it('webhook-delivery.retry-now: a failed attempt, then retried at once by the retryNow signal', async () => {
    const { result } = await webhook('retry-now', [500, 200], { ...DEFAULT_RETRY, initialMs: DAY, maximumMs: DAY }, async (handle) => {
      await until(async () => (await handle.fetchHistory()).events?.some((e) => e.timerStartedEventAttributes) ?? false, (x) => x, 'the backoff timer');
      await handle.signal(retryWebhookNowSignal);
    });
    expect(result).toMatchObject({ outcome: 'delivered', attempts: 2 });
  });

  it('webhook-delivery.gone: the endpoint was deleted while the delivery waited', async () => {
    const { result } = await webhook('gone', [500, 'gone'], DEFAULT_RETRY);
    expect(result).toMatchObject({ outcome: 'gone', attempts: 2 });
  });
});

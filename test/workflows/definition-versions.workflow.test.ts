import type { WorkflowHandle } from '@temporalio/client';
import { composeApprovalActivities } from '../../src/activities/approval.activities';
import {
  type Activities, approvalStateQuery, decideUpdate, DecisionRefusal, type InvoiceApprovalInput,
} from '../../src/contracts';
import { invoiceApproval } from '../../src/workflows/invoice-approval.workflow';
import { approvalWorkflowEnv, refusalType } from '../support/approval-workflow';
import { until } from '../support/until';

type ApprovalActivities = Pick<Activities,
  'markPending' | 'openApprovalTasks' | 'notifyApprovalRequested' | 'recordDecision' | 'remindApprovers' | 'completeApproval' |
  'notifyApprovalOutcome' | 'cancelApproval'>;

const DAY = 24 * 60 * 60_000;
const CREATOR = 'user-creator';
const ALICE = 'user-alice';
const BOB = 'user-bob';

/** Activities that only record what they are told: a run's approvers can come from nowhere but its input. */
function recordingActivities() {
  const told: unknown[] = [];
  const granular: ApprovalActivities = {
    async markPending(i) { told.push(i); },
    async openApprovalTasks(i) { told.push(i); return { opened: i.approverIds.length }; },
    async notifyApprovalRequested(i) { told.push(i); return { notified: i.userIds.length }; },
    async recordDecision(i) { told.push(i); },
    async remindApprovers(i) { told.push(i); return { reminded: i.approverIds.length }; },
    async completeApproval(i) { told.push(i); return { applied: true }; },
    async notifyApprovalOutcome(i) { told.push(i); return { notified: 1 }; },
    async cancelApproval(i) { told.push(i); },
  };
  return { told, activities: { ...granular, ...composeApprovalActivities(granular) } };
}

let seq = 0;
function input(overrides: Partial<InvoiceApprovalInput>): InvoiceApprovalInput {
  seq += 1;
  return {
    approvalId: `approval-v-${seq}`, companyId: 'company-1', invoiceId: `invoice-v-${seq}`, invoiceNumber: `INV-V-${seq}`, submission: 1,
    creatorId: CREATOR, steps: [{ approverIds: [ALICE] }], allowAdmins: false, notifyUserIds: [], push: false, timeout: '10 days',
    ...overrides,
  };
}

describe('a run keeps its definition version', () => {
  const wf = approvalWorkflowEnv('definition-versions-test');

  /** Starts each run on one worker (one task queue per test), then runs `body` with their handles. */
  function run<T>(runs: InvoiceApprovalInput[], body: (handles: WorkflowHandle<typeof invoiceApproval>[]) => Promise<T>): Promise<T> {
    return wf.withWorker(runs[0].approvalId, recordingActivities().activities, async (taskQueue) =>
      wf.terminating(await Promise.all(runs.map((args) => wf.startInvoiceApproval(taskQueue, args))), body));
  }

  const pending = (handle: WorkflowHandle) =>
    until(() => handle.query(approvalStateQuery), (s) => s.status === 'pending', 'the pending run', { attempts: 200, intervalMs: 25 });

  it('answers the version it started with in its state and result, days later, beside a run of version 2', async () => {
    const v1 = input({ definitionVersion: 1, steps: [{ approverIds: [ALICE] }] });
    // Version 2 of the same definition, as the API starts a submission after the edit: Bob decides.
    const v2 = input({ definitionVersion: 2, steps: [{ approverIds: [BOB] }] });

    const { first, later, refused, result, second } = await run([v1, v2], async ([handle, h2]) => {
      const first = await pending(handle);
      const second = await pending(h2);
      await wf.env.sleep(3 * DAY);
      const later = await handle.query(approvalStateQuery);
      const refused = await handle.executeUpdate(decideUpdate, { args: [{ decision: 'approve', userId: BOB, isAdmin: false }] }).catch(refusalType);
      await handle.executeUpdate(decideUpdate, { args: [{ decision: 'approve', userId: ALICE, isAdmin: false }] });
      return { first, later, refused, result: await handle.result(), second };
    });

    expect(first).toMatchObject({ definitionVersion: 1, steps: [{ approverIds: [ALICE] }] });
    expect(later).toMatchObject({ definitionVersion: 1, steps: [{ approverIds: [ALICE] }], reminded: false });
    expect(second).toMatchObject({ definitionVersion: 2, steps: [{ approverIds: [BOB] }] });
    expect(refused).toBe(DecisionRefusal.notAnApprover);
    expect(result).toMatchObject({ status: 'approved', definitionVersion: 1, trail: [{ decision: 'approved', userId: ALICE }] });
  }, 120_000);

  it('answers null for a run started before definitions had versions', async () => {
    const state = await run([input({})], ([handle]) => pending(handle));
    expect(state).toMatchObject({ definitionVersion: null });
  }, 120_000);
});

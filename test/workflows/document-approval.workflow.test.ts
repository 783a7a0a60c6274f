import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { composeApprovalActivities } from '../../src/activities/approval.activities';
import {
  type Activities, type ApprovalDocument, approvalStateQuery, decideUpdate, type InvoiceApprovalInput, workflowIds, workflowTypes,
} from '../../src/contracts';
import { approvalWorkflowEnv } from '../support/approval-workflow';
import { until } from '../support/until';

type Parts = Pick<Activities,
  'markPending' | 'openApprovalTasks' | 'notifyApprovalRequested' | 'recordDecision' | 'remindApprovers' | 'completeApproval' |
  'notifyApprovalOutcome' | 'cancelApproval'>;


/** Every notice the run gives its activities, in order, with the document it names. */
function recordingActivities() {
  const notices: { activity: string; document: ApprovalDocument | undefined }[] = [];
  const seen = (activity: string, n: { approvalId: string; document?: ApprovalDocument }) => { notices.push({ activity, document: n.document }); };
  const parts: Parts = {
    async markPending(i) { seen('markPending', i); },
    async openApprovalTasks(i) { seen('openApprovalTasks', i); return { opened: i.seats.length }; },
    async notifyApprovalRequested(i) { seen('notifyApprovalRequested', i); return { notified: i.userIds.length }; },
    async recordDecision(i) { seen('recordDecision', i); },
    async remindApprovers(i) { seen('remindApprovers', i); return { reminded: i.approverIds.length }; },
    async completeApproval(i) { seen('completeApproval', i); return { applied: true }; },
    async notifyApprovalOutcome(i) { seen('notifyApprovalOutcome', i); return { notified: 1 }; },
    async cancelApproval(i) { seen('cancelApproval', i); },
  };
  return { notices, activities: { ...parts, ...composeApprovalActivities(parts) } };
}

const CREATOR = 'user-creator';
const ALICE = 'user-alice';
const STRANGER = 'user-stranger';

function refusal(err: unknown): { type?: string; message?: string } {
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) return { type: err.cause.type ?? undefined, message: err.cause.message };
  throw err;
}

describe(`${workflowTypes.documentApproval} of a bill`, () => {
  const wf = approvalWorkflowEnv('document-approval-test');

  function run<T>(
    type: string, workflowId: string, args: InvoiceApprovalInput, activities: object, body: (handle: WorkflowHandle) => Promise<T>,
  ): Promise<T> {
    return wf.withWorker(args.approvalId, activities, async (taskQueue) =>
      wf.terminating([await wf.env.client.workflow.start(type, { taskQueue, workflowId, args: [args] })], ([handle]) => body(handle)));
  }

  it('tells every activity which bill it approves, names the bill in its refusals, and is approved through the decide Update', async () => {
    const bill: ApprovalDocument = { kind: 'bill', id: 'bill-77', number: 'B-77', amount: '980.00' };
    const args: InvoiceApprovalInput = {
      approvalId: 'approval-bill-77', companyId: 'company-1', document: bill, invoiceId: '', invoiceNumber: '', definitionVersion: 3,
      submission: 1, creatorId: CREATOR, steps: [{ approverIds: [ALICE] }], allowAdmins: false, notifyUserIds: [], push: false,
    };
    const { notices, activities } = recordingActivities();
    const { result, refusals } = await run(workflowTypes.documentApproval, workflowIds.billApproval(bill.id, 1), args, activities, async (handle) => {
      await until(() => handle.query(approvalStateQuery), (s) => s.status === 'pending', 'the pending bill', { attempts: 200, intervalMs: 25 });
      const refusals: { type?: string; message?: string }[] = [
        await handle.executeUpdate(decideUpdate, { args: [{ decision: 'approve', userId: STRANGER, isAdmin: false }] }).then(() => ({ type: 'none' }), refusal),
        await handle.executeUpdate(decideUpdate, { args: [{ decision: 'approve', userId: CREATOR, isAdmin: true }] }).then(() => ({ type: 'none' }), refusal),
      ];
      await handle.executeUpdate(decideUpdate, { args: [{ decision: 'approve', userId: ALICE, isAdmin: false, comment: 'Matches the PO.' }] });
      return { result: await handle.result(), refusals };
    });

    expect(result.status).toBe('approved');
    expect(refusals).toEqual([
      { type: 'NotAnApprover', message: `user ${STRANGER} is not an approver of step 1 of bill B-77` },
      { type: 'SelfApproval', message: expect.stringContaining(`user ${CREATOR} created bill B-77 and may not decide it`) },
    ]);
    expect(notices.map((n) => n.activity)).toEqual(expect.arrayContaining(['markPending', 'openApprovalTasks', 'recordDecision', 'completeApproval']));
    expect(notices.filter((n) => n.document?.kind !== 'bill' || n.document.id !== bill.id)).toEqual([]);
  });

  it('approves the invoice a run started before bills had approvals names (no document), under the type it was started with', async () => {
    const args: InvoiceApprovalInput = {
      approvalId: 'approval-legacy-1', companyId: 'company-1', invoiceId: 'invoice-legacy-1', invoiceNumber: 'INV-9', submission: 1,
      creatorId: CREATOR, steps: [{ approverIds: [ALICE] }], allowAdmins: false, notifyUserIds: [], push: false,
    };
    const { notices, activities } = recordingActivities();
    const result = await run(workflowTypes.invoiceApproval, workflowIds.invoiceApproval('invoice-legacy-1', 1), args, activities, async (handle) => {
      await until(() => handle.query(approvalStateQuery), (s) => s.status === 'pending', 'the pending invoice', { attempts: 200, intervalMs: 25 });
      const refused: { type?: string; message?: string } = await handle.executeUpdate(decideUpdate, { args: [{ decision: 'approve', userId: STRANGER, isAdmin: false }] }).then(() => ({ type: 'none' }), refusal);
      expect(refused.message).toBe(`user ${STRANGER} is not an approver of step 1 of invoice INV-9`);
      await handle.executeUpdate(decideUpdate, { args: [{ decision: 'approve', userId: ALICE, isAdmin: false }] });
      return handle.result();
    });

    expect(result.status).toBe('approved');
    expect([...new Set(notices.map((n) => JSON.stringify(n.document)))])
      .toEqual([JSON.stringify({ kind: 'invoice', id: 'invoice-legacy-1', number: 'INV-9', amount: '' })]);
  });
});

// The bench's baselines only, never registered by the product's worker:
//   baselineApproval          waits for one signal and ends (the baseline);
//   baselineApprovalWithWork  the same around two local activities that do an approval's durable work with raw
//                             SQL and SMTP (bench/baseline.activities.ts): a floor for the product's approval.
//   baselineApprovalProtocol  the same work under the product's contract, written with the SDK alone: the decision is
//                             an Update answered once the decision is durable (a local activity), the emails go in
//                             activities of their own that nobody waits for, the run's status is a search attribute,
//                             and the run waits under its deadline (a durable timer: undecided, it would be rejected).
//   baselineSweep             does nothing: what a bare schedule of `npm run bench:scale` fires.
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { allHandlersFinished, condition, defineSignal, defineUpdate, proxyActivities, proxyLocalActivities, setHandler, upsertSearchAttributes } from '@temporalio/workflow';
import type { createBaselineActivities } from './baseline.activities';

export const baselineDecisionSignal = defineSignal<[{ userId: string }]>('approve');
export const baselineDecisionUpdate = defineUpdate<{ approvedBy: string }, [{ userId: string }]>('decide');
/** The product's search attribute (registered by the provisioning of the dev server). */
export const baselineStatus = defineSearchAttributeKey('ApprovalStatus', SearchAttributeType.KEYWORD);

type BaselineActivities = ReturnType<typeof createBaselineActivities>;
const { requestWork, settleWork, openWork, recordWork } = proxyLocalActivities<BaselineActivities>({ startToCloseTimeout: '30 seconds' });
const { emailWork } = proxyActivities<BaselineActivities>({ startToCloseTimeout: '30 seconds' });

export async function baselineApproval(): Promise<{ approvedBy: string }> {
  let approvedBy: string | undefined;
  setHandler(baselineDecisionSignal, ({ userId }) => {
    approvedBy ??= userId;
  });
  await condition(() => approvedBy !== undefined);
  return { approvedBy: approvedBy! };
}

export async function baselineApprovalWithWork(approvalId: string): Promise<{ approvedBy: string }> {
  let approvedBy: string | undefined;
  setHandler(baselineDecisionSignal, ({ userId }) => {
    approvedBy ??= userId;
  });
  await requestWork(approvalId);
  await condition(() => approvedBy !== undefined);
  await settleWork(approvalId, approvedBy!);
  return { approvedBy: approvedBy! };
}

export async function baselineApprovalProtocol(approvalId: string): Promise<{ approvedBy: string }> {
  let approvedBy: string | undefined;
  let settled = false;
  setHandler(baselineDecisionUpdate, async ({ userId }) => {
    approvedBy ??= userId;
    await condition(() => settled);
    return { approvedBy: approvedBy! };
  });
  await openWork(approvalId);
  const emails = [emailWork(approvalId, 'request', 'approver@bench.test', `Approval requested: invoice ${approvalId}`)];
  if (!await condition(() => approvedBy !== undefined, '30 days')) throw new Error(`${approvalId}: no decision before the deadline`);
  await recordWork(approvalId, approvedBy!);
  settled = true;
  upsertSearchAttributes([{ key: baselineStatus, value: 'approved' }]);
  emails.push(emailWork(approvalId, 'outcome', 'creator@bench.test', `Invoice ${approvalId} approved`));
  await Promise.all(emails);
  await condition(allHandlersFinished);
  return { approvedBy: approvedBy! };
}

export async function baselineSweep(): Promise<void> {
  // Nothing: the cost of a firing itself, the floor under a reminder sweep.
}

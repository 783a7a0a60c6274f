// The bench's baselines only, never registered by the product's worker:
//   baselineApproval          waits for one signal and ends (the baseline);
//   baselineApprovalWithWork  the same around two local activities that do an approval's durable work with raw
//                             SQL and SMTP (bench/baseline.activities.ts): a floor for the product's approval.
//   baselineSweep             does nothing: what a bare schedule of `npm run bench:scale` fires.
import { condition, defineSignal, proxyLocalActivities, setHandler } from '@temporalio/workflow';
import type { createBaselineActivities } from './baseline.activities';

export const baselineDecisionSignal = defineSignal<[{ userId: string }]>('approve');

const { requestWork, settleWork } = proxyLocalActivities<ReturnType<typeof createBaselineActivities>>({ startToCloseTimeout: '30 seconds' });

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

export async function baselineSweep(): Promise<void> {
  // Nothing: the cost of a firing itself, the floor under a reminder sweep.
}

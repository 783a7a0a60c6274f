// The bench's baseline only: a workflow that waits for one signal and ends. Never registered by the product's worker.
import { condition, defineSignal, setHandler } from '@temporalio/workflow';

export const baselineDecisionSignal = defineSignal<[{ userId: string }]>('approve');

export async function baselineApproval(): Promise<{ approvedBy: string }> {
  let approvedBy: string | undefined;
  setHandler(baselineDecisionSignal, ({ userId }) => {
    approvedBy ??= userId;
  });
  await condition(() => approvedBy !== undefined);
  return { approvedBy: approvedBy! };
}

import { deliveryEffects } from '../../db/delivery-effects';
import type { Intent } from '../../domain/delivery-planner';
import { type ChannelOutcome, type DeliveryContext, outboxIntent, render, toOutcome } from './context';

/** A task for a member of the team, or for a candidate group's members to claim, exactly once with its row. */
export async function deliverTask(ctx: DeliveryContext, intent: Extract<Intent, { channel: 'task' }>): Promise<ChannelOutcome> {
  const { def, record } = ctx;
  return toOutcome(await ctx.outbox.deliver(outboxIntent(ctx, intent), {
    policy: 'inDatabase',
    apply: (tx, key) => {
      const task = render(ctx, intent.task, false);
      return deliveryEffects.insertReminderTask(tx, {
        companyId: def.companyId, assigneeId: intent.assigneeId, candidateGroupId: intent.candidateGroupId, title: task.subject, description: task.text,
        recordType: record.recordType, recordId: record.id, definitionId: def.id, key,
      });
    },
  }));
}

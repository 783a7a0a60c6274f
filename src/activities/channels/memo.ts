import { deliveryEffects } from '../../db/delivery-effects';
import type { Intent } from '../../domain/delivery-planner';
import { type ChannelOutcome, type DeliveryContext, outboxIntent, render, toOutcome } from './context';

/** The invoice's memo or stamp, written exactly once with its row. */
export async function deliverMemo(ctx: DeliveryContext, intent: Extract<Intent, { channel: 'memo' | 'stamp' }>): Promise<ChannelOutcome> {
  return toOutcome(await ctx.outbox.deliver(outboxIntent(ctx, intent), {
    policy: 'inDatabase',
    apply: (tx) => deliveryEffects.setInvoiceText(tx, ctx.record.id, intent.channel, render(ctx, { subject: '', body: intent.text }, false).text),
  }));
}

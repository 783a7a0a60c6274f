import { deliveryEffects } from '../../db/delivery-effects';
import { webhookEvents } from '../../db/webhook-events';
import type { Intent } from '../../domain/delivery-planner';
import { type ChannelOutcome, type DeliveryContext, outboxIntent, render, toOutcome } from './context';

/**
 * The in-app notification, exactly once with its row. The company's push webhook is an event recorded with it,
 * delivered by its own workflow: a failing receiver never fails the sweep.
 */
export async function deliverPush(ctx: DeliveryContext, intent: Extract<Intent, { channel: 'push' }>): Promise<ChannelOutcome> {
  const { def, record } = ctx;
  return toOutcome(await ctx.outbox.deliver(outboxIntent(ctx, intent), {
    policy: 'inDatabase',
    apply: async (tx, key) => {
      const title = render(ctx, intent.title, false);
      const userId = intent.recipient;
      const notificationId = await deliveryEffects.insertNotification(tx, {
        companyId: def.companyId, userId, title: title.subject, body: title.text, recordType: record.recordType, recordId: record.id, key,
      });
      if (notificationId) {
        await webhookEvents.notificationPushed(tx, key, def.companyId, {
          id: notificationId, userId, title: title.subject, body: title.text, recordType: record.recordType, recordId: record.id,
          definitionId: def.id, templateKey: def.templateKey,
        });
      }
    },
  }));
}

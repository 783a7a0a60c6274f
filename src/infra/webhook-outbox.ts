import type { AttemptWebhookInput, AttemptWebhookResult } from '../contracts';
import type { WebhooksRepository } from '../db/webhooks.repository';
import { webhookSignature } from '../domain/webhook-signature';

/** What a receiver answered, or why nothing was answered. */
export type WebhookPostResult = { statusCode: number } | { error: string };

/**
 * The webhook half of the outbox (`retriedForDays`): one attempt of a recorded delivery. Sends the event as first
 * recorded (`{ id, type, createdAt, companyId, data }`, signed `Relance-Signature`), records the attempt with its
 * answer and the delivery's new state in one statement, and answers the outcome for the workflow to wait or stop. The
 * receiver's failures are outcomes; only the database's are thrown (Temporal retries the attempt: at least once).
 */
export function createWebhookOutbox(
  webhooks: WebhooksRepository,
  post: (url: string, body: string, headers: Record<string, string>) => Promise<WebhookPostResult>,
  now: () => number = Date.now,
) {
  return {
    async attempt(input: AttemptWebhookInput): Promise<AttemptWebhookResult> {
      const delivery = await webhooks.findToAttempt(input.deliveryId);
      if (!delivery) return { outcome: 'gone', statusCode: null, error: null };
      if (delivery.status === 'delivered' && !input.force) return { outcome: 'skipped', statusCode: null, error: null };
      const body = JSON.stringify(delivery.event);
      const started = now();
      const headers = {
        'content-type': 'application/json',
        'user-agent': 'Relance-Webhooks/1',
        'relance-signature': webhookSignature(delivery.secret, body, Math.floor(started / 1000), delivery.previousSecret),
        'relance-event-id': delivery.event.id,
        'relance-event-type': delivery.event.type,
        'relance-delivery-attempt': String(delivery.attempts + 1),
      };
      const answer = await post(delivery.url, body, headers);
      const durationMs = Math.max(0, Math.round(now() - started));
      const ok = 'statusCode' in answer && answer.statusCode >= 200 && answer.statusCode < 300;
      const statusCode = 'statusCode' in answer ? answer.statusCode : null;
      const error = ok ? null : 'error' in answer ? answer.error : `answered ${statusCode}`;
      let status: 'delivered' | 'retrying' | 'failed' = 'delivered';
      if (!ok) status = input.retryAt ? 'retrying' : 'failed';
      const recorded = await webhooks.recordAttempt({
        deliveryId: delivery.id, statusCode, error, durationMs, status, nextAttemptAt: ok ? null : input.retryAt,
      });
      if (!recorded) return { outcome: 'gone', statusCode, error };
      return { outcome: ok ? 'delivered' : 'failed', statusCode, error };
    },
  };
}

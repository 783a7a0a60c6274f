import { condition, proxyLocalActivities, setHandler } from '@temporalio/workflow';
import { retryWebhookNowSignal, type WebhookActivities, type WebhookDeliveryInput, type WebhookDeliveryResult } from '../contracts';

// An attempt's own failures (the database unreachable) are retried by Temporal; the receiver's answers are not
// failures of the activity, they are its result, and the workflow's timers space the next attempts. A local activity:
// no activity task round trip through the server per attempt (bench:webhooks).
const { attemptWebhookDelivery } = proxyLocalActivities<WebhookActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/**
 * Delivers one event to one endpoint: POSTs it until an answer 2xx, with exponential backoff between
 * attempts for `retry.forMs` from the first one. Timers live in Temporal, so the retries survive worker and server
 * restarts; the event (and its id) is read from Postgres at each attempt, unchanged. `retryNow` cuts the wait short.
 */
export async function webhookDelivery(input: WebhookDeliveryInput): Promise<WebhookDeliveryResult> {
  const { deliveryId, retry } = input;
  let retryNow = false;
  setHandler(retryWebhookNowSignal, () => {
    retryNow = true;
  });
  const started = Date.now();
  for (let attempt = 1; ; attempt += 1) {
    const wait = Math.min(retry.initialMs * 2 ** (attempt - 1), retry.maximumMs);
    const retryAt = Date.now() + wait - started <= retry.forMs ? new Date(Date.now() + wait).toISOString() : null;
    const result = await attemptWebhookDelivery({ deliveryId, attempt, retryAt, force: input.manual === true && attempt === 1 });
    if (result.outcome === 'delivered' || result.outcome === 'skipped') return { deliveryId, outcome: 'delivered', attempts: attempt };
    if (result.outcome === 'gone') return { deliveryId, outcome: 'gone', attempts: attempt };
    if (retryAt === null) return { deliveryId, outcome: 'failed', attempts: attempt };
    // A retry asked for while the attempt ran counts too: the next attempt starts at once.
    await condition(() => retryNow, wait);
    retryNow = false;
  }
}

import type { WebhookAttemptRow, WebhookEndpointRow } from '../../db/webhooks.repository';
import type { WebhookAttempt, WebhookEndpoint } from './dto/webhook-endpoint.dto';

export function toWebhookEndpointView(e: WebhookEndpointRow): WebhookEndpoint {
  return {
    id: e.id, url: e.url, events: e.events, source: e.source, createdAt: e.createdAt.toISOString(), updatedAt: e.updatedAt.toISOString(),
  };
}

export function toWebhookAttemptView(a: WebhookAttemptRow): WebhookAttempt {
  return {
    id: a.id, deliveryId: a.deliveryId, eventId: a.eventId, eventType: a.eventType, attempt: a.attempt, statusCode: a.statusCode,
    error: a.error, durationMs: a.durationMs, deliveryStatus: a.deliveryStatus, attemptedAt: a.createdAt.toISOString(),
  };
}

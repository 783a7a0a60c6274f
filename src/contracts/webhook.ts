// What the webhook delivery workflow, its activities, the API, the worker's dispatcher and the tests agree on.
import { defineSignal } from '@temporalio/workflow';

/** Every event type a webhook endpoint may subscribe to; `*` subscribes to all. */
export const WEBHOOK_EVENT_TYPES = [
  'invoice.approval.requested',
  /** `data.decision`: approved, rejected or timeout. */
  'invoice.approval.decided',
  'invoice.approval.escalated',
  /** The bill counterparts of the three above: `data` names the bill (`billId`, `billNumber`) instead of an invoice. */
  'bill.approval.requested',
  'bill.approval.decided',
  'bill.approval.escalated',
  'reminder.delivered',
  'payment.received',
  'workflow.run.failed',
  /** A workflow's in-app push notification: what the company-level `webhookUrl` carried. */
  'notification.pushed',
  /** A customer address was suppressed after a permanent failure, or after three temporary ones within 30 days. */
  'email.bounced',
  /** A person answered a customer email: the invoices it was about are paused (`customer replied`). */
  'customer.replied',
  /** The customer disputed the invoice from a reminder's answer page: its reminders stop until the dispute is resolved. */
  'invoice.disputed',
  /** `POST /v1/invoices/:id/dispute/resolve`: reminders go on. */
  'invoice.dispute_resolved',
  /** The customer promised to pay on a day: reminders pause until two days past it. */
  'invoice.promised',
  /** The invoice was still unpaid when a promise's grace ended: reminders go on. */
  'invoice.promise_broken',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];
export const ALL_WEBHOOK_EVENTS = '*';

/** The subscription of the endpoint that stands for a company's `webhookUrl` (push notifications). */
export const COMPANY_PUSH_EVENTS: WebhookEventType[] = ['notification.pushed'];

/** How a failing delivery is retried: exponential backoff (doubling) from `initialMs` up to `maximumMs`, for `forMs`. */
export interface WebhookRetryPolicy {
  initialMs: number;
  maximumMs: number;
  /** From the first attempt: no attempt starts later than this. */
  forMs: number;
}

/** A failing delivery is retried with exponential backoff for 3 days. */
export const DEFAULT_WEBHOOK_RETRY: WebhookRetryPolicy = { initialMs: 10_000, maximumMs: 3_600_000, forMs: 3 * 24 * 3_600_000 };

/** No answer within this is a failed attempt. */
export const WEBHOOK_TIMEOUT_MS = 10_000;

export interface WebhookDeliveryInput {
  deliveryId: string;
  retry: WebhookRetryPolicy;
  /** Started by `POST .../deliveries/:id/retry`: sends even a delivery that was delivered already. */
  manual?: boolean;
}

export interface WebhookDeliveryResult {
  deliveryId: string;
  outcome: 'delivered' | 'failed' | 'gone';
  attempts: number;
}

export type WebhookDeliveryWorkflow = (input: WebhookDeliveryInput) => Promise<WebhookDeliveryResult>;

/** Sent by `POST .../deliveries/:id/retry` to a delivery waiting for its next attempt: it attempts now. */
export const retryWebhookNowSignal = defineSignal('retryNow');

export interface AttemptWebhookInput {
  deliveryId: string;
  /** The workflow's attempt (1 for the first). */
  attempt: number;
  /** When the next attempt comes if this one fails; null: this is the last one, a failure fails the delivery. */
  retryAt: string | null;
  /** Send even if the delivery was delivered already (a manual retry). */
  force: boolean;
}

export interface AttemptWebhookResult {
  /** `gone`: the delivery or its endpoint was deleted; `skipped`: delivered already (and not forced). */
  outcome: 'delivered' | 'failed' | 'gone' | 'skipped';
  statusCode: number | null;
  error: string | null;
}

export interface WebhookActivities {
  /** One POST of the delivery's event, recorded as an attempt with its answer; throws only for infrastructure. */
  attemptWebhookDelivery(input: AttemptWebhookInput): Promise<AttemptWebhookResult>;
}

import type { DataSource } from 'typeorm';
import { type AttemptWebhookInput, type AttemptWebhookResult, WEBHOOK_TIMEOUT_MS, type WebhookActivities } from '../contracts';
import { WebhooksRepository } from '../db/webhooks.repository';
import { checkWebhookUrl, postToTarget, type Resolver, WebhookUrlRefused } from '../infra/webhook-target';
import { createWebhookOutbox, type WebhookPostResult } from '../infra/outbox';

export interface WebhookActivityOptions {
  /** RELANCE_WEBHOOK_ALLOW_PRIVATE: loopback and private addresses may be called (dev and tests). */
  allowPrivate: boolean;
  timeoutMs?: number;
  resolver?: Resolver;
}

/** Why a POST got no answer, in the words of the deliveries log. */
function noAnswer(err: unknown, timeoutMs: number): string {
  if (err instanceof WebhookUrlRefused) return err.message;
  const e = err as NodeJS.ErrnoException;
  if (e?.name === 'AbortError' || e?.name === 'TimeoutError') return `no answer within ${timeoutMs / 1000} s`;
  return `${e?.code ? `${e.code}: ` : ''}${e?.message ?? String(err)}`.slice(0, 1000);
}

/**
 * The webhook delivery workflow's attempt. The URL is checked again at each attempt (its DNS may point elsewhere
 * since it was saved: rebinding), and the request connects to the very address that was checked.
 */
export function createWebhookActivities(dataSource: DataSource, options: WebhookActivityOptions): WebhookActivities {
  const timeoutMs = options.timeoutMs ?? WEBHOOK_TIMEOUT_MS;
  const post = async (url: string, body: string, headers: Record<string, string>): Promise<WebhookPostResult> => {
    try {
      const target = await checkWebhookUrl(url, { allowPrivate: options.allowPrivate, resolver: options.resolver });
      const answer = await postToTarget(target, body, headers, timeoutMs);
      return { statusCode: answer.statusCode };
    } catch (err) {
      return { error: noAnswer(err, timeoutMs) };
    }
  };
  const outbox = createWebhookOutbox(new WebhooksRepository(dataSource), post);
  return {
    attemptWebhookDelivery(input: AttemptWebhookInput): Promise<AttemptWebhookResult> {
      return outbox.attempt(input);
    },
  };
}

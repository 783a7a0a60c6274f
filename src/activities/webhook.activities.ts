import type { DataSource } from 'typeorm';
import { parseSecretKeys } from '../config';
import { type AttemptWebhookInput, type AttemptWebhookResult, WEBHOOK_TIMEOUT_MS, type WebhookActivities } from '../contracts';
import { type DeliveryToAttempt, WebhooksRepository } from '../db/webhooks.repository';
import { SecretBox } from '../infra/secret-box';
import { checkWebhookUrl, postToTarget, type Resolver, WebhookUrlRefused } from '../infra/webhook-target';
import { createWebhookOutbox, type WebhookPostResult } from '../infra/webhook-outbox';

export interface WebhookActivityOptions {
  /** RELANCE_WEBHOOK_ALLOW_PRIVATE: loopback and private addresses may be called (dev and tests). */
  allowPrivate: boolean;
  timeoutMs?: number;
  resolver?: Resolver;
  /** Opens the endpoints' sealed secrets; by default the one of RELANCE_SECRET_KEYS. */
  secrets?: SecretBox;
}

/** The deliveries' endpoints with their secrets opened, for the attempt to sign with; they live only in memory. */
class OpenedSecretsRepository extends WebhooksRepository {
  constructor(dataSource: DataSource, private readonly box: SecretBox) {
    super(dataSource);
  }

  override async findToAttempt(deliveryId: string): Promise<DeliveryToAttempt | null> {
    const delivery = await super.findToAttempt(deliveryId);
    if (!delivery) return null;
    const open = (sealed: string) => this.box.open(sealed, 'webhook-secret');
    return { ...delivery, secret: open(delivery.secret), previousSecret: delivery.previousSecret ? open(delivery.previousSecret) : null };
  }
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
  const box = options.secrets ?? new SecretBox(parseSecretKeys(process.env.RELANCE_SECRET_KEYS));
  const outbox = createWebhookOutbox(new OpenedSecretsRepository(dataSource, box), post);
  return {
    attemptWebhookDelivery(input: AttemptWebhookInput): Promise<AttemptWebhookResult> {
      return outbox.attempt(input);
    },
  };
}

import { Inject, Injectable } from '@nestjs/common';
import { Config } from '../../config';
import { DomainError } from '../../domain/errors';
import { checkWebhookUrl, WebhookUrlRefused } from '../../infra/webhook-target';
import { CONFIG } from '../config/config.module';

/**
 * The SSRF guard on every URL a company sets (webhook endpoints, the company's `webhookUrl`): resolved, and refused
 * with a 400 when it reaches loopback or private networks (unless RELANCE_WEBHOOK_ALLOW_PRIVATE=true), link-local or
 * metadata addresses. Checked again at every send, against DNS rebinding.
 */
@Injectable()
export class WebhookUrlGuard {
  constructor(@Inject(CONFIG) private readonly config: Config) {}

  async check(url: string, field = 'url'): Promise<void> {
    try {
      await checkWebhookUrl(url, { allowPrivate: this.config.webhooks.allowPrivate });
    } catch (err) {
      if (err instanceof WebhookUrlRefused) throw new DomainError(400, `${field} is refused: ${err.reason}`);
      throw err;
    }
  }
}

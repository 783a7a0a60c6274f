import { Global, Module } from '@nestjs/common';
import { WebhookUrlGuard } from './webhook-url-guard';
import { WebhooksController } from './webhooks.controller';
import { WebhooksService } from './webhooks.service';

/** Global for its URL guard, which the company's `webhookUrl` goes through too. */
@Global()
@Module({ controllers: [WebhooksController], providers: [WebhooksService, WebhookUrlGuard], exports: [WebhookUrlGuard] })
export class WebhooksModule {}

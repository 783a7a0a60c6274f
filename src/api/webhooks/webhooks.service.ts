import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Config } from '../../config';
import { mapPage } from '../../db/pagination';
import { WebhooksRepository } from '../../db/webhooks.repository';
import { changesOf, urlOrigin } from '../../domain/audit';
import { DomainError } from '../../domain/errors';
import { newWebhookSecret } from '../../domain/webhook-signature';
import { SecretBox } from '../../infra/secret-box';
import { retryWebhookDeliveryNow } from '../../infra/webhook-deliveries';
import { audit } from '../audit/audit-trail';
import { AuthUser } from '../auth/current-user.decorator';
import { ListQueryDto } from '../common/pagination';
import { CONFIG } from '../config/config.module';
import { TemporalClient } from '../temporal/temporal.module';
import {
  CreatedWebhookEndpoint, CreateWebhookEndpointDto, RotatedWebhookSecret, UpdateWebhookEndpointDto, WebhookRetryAccepted,
} from './dto/webhook-endpoint.dto';
import { WebhookUrlGuard } from './webhook-url-guard';
import { toWebhookAttemptView, toWebhookEndpointView } from './webhook.mapper';

/** A subscription as stored: `*` alone when it is there, each type once. */
function normalisedEvents(events: string[]): string[] {
  return events.includes('*') ? ['*'] : [...new Set(events)];
}

@Injectable()
export class WebhooksService {
  private readonly webhooks: WebhooksRepository;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly guard: WebhookUrlGuard,
    private readonly temporal: TemporalClient,
    @Inject(CONFIG) private readonly config: Config,
    private readonly box: SecretBox,
  ) {
    this.webhooks = new WebhooksRepository(dataSource);
  }

  /**
   * The secret is sealed (AES-256-GCM under RELANCE_SECRET_KEYS), not hashed like API keys: the worker needs it to
   * compute each signature (HMAC). It is never answered again after this (views carry no secret); a leaked one is
   * replaced by a rotation.
   */
  async create(user: AuthUser, dto: CreateWebhookEndpointDto): Promise<CreatedWebhookEndpoint> {
    await this.guard.check(dto.url);
    const secret = newWebhookSecret();
    const endpoint = await this.dataSource.transaction(async (m) => {
      const created = await new WebhooksRepository(m).insertEndpoint({
        companyId: user.companyId, url: dto.url, events: normalisedEvents(dto.events), secret: this.box.seal(secret, 'webhook-secret'),
      });
      await audit.record(m, user, { type: 'webhook_endpoint.created', targetId: created.id, data: { url: urlOrigin(created.url), events: created.events } });
      return created;
    });
    return { ...toWebhookEndpointView(endpoint), secret };
  }

  /** A new secret, answered once; the replaced one signs too for a day, so that receivers can move without a gap. */
  async rotateSecret(user: AuthUser, id: string): Promise<RotatedWebhookSecret> {
    const secret = newWebhookSecret();
    const rotated = await this.dataSource.transaction(async (m) => {
      const done = await new WebhooksRepository(m).rotateSecret(user.companyId, id, this.box.seal(secret, 'webhook-secret'));
      if (!done) throw new NotFoundException(`webhook endpoint ${id} not found`);
      await audit.record(m, user, { type: 'webhook_endpoint.secret_rotated', targetId: id });
      return done;
    });
    return { ...toWebhookEndpointView(rotated.endpoint), secret, previousSecretExpiresAt: rotated.previousSecretExpiresAt.toISOString() };
  }

  async list(user: AuthUser, query: ListQueryDto) {
    return mapPage(await this.webhooks.findEndpointPage(user.companyId, query), toWebhookEndpointView);
  }

  async get(user: AuthUser, id: string) {
    return toWebhookEndpointView(await this.find(user, id));
  }

  async update(user: AuthUser, id: string, dto: UpdateWebhookEndpointDto) {
    if (dto.url === undefined && dto.events === undefined) throw new DomainError(400, 'give url or events (or both) to change');
    const endpoint = await this.find(user, id);
    if (endpoint.source === 'company' && dto.url !== undefined) {
      throw new DomainError(409, 'this endpoint is the company\'s webhookUrl: change its URL with PATCH /v1/companies/me');
    }
    if (dto.url !== undefined) await this.guard.check(dto.url);
    const updated = await this.dataSource.transaction(async (m) => {
      const after = await new WebhooksRepository(m).updateEndpoint(user.companyId, id, {
        url: dto.url, events: dto.events ? normalisedEvents(dto.events) : undefined,
      });
      if (!after) throw new NotFoundException(`webhook endpoint ${id} not found`);
      const changes = changesOf(endpoint, after, ['events']);
      if (endpoint.url !== after.url) changes.url = { old: urlOrigin(endpoint.url), new: urlOrigin(after.url) };
      if (Object.keys(changes).length) await audit.record(m, user, { type: 'webhook_endpoint.updated', targetId: id, data: { changes } });
      return after;
    });
    return toWebhookEndpointView(updated);
  }

  async remove(user: AuthUser, id: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const endpoint = await new WebhooksRepository(m).findEndpoint(user.companyId, id);
      if (!endpoint || !await new WebhooksRepository(m).deleteEndpoint(user.companyId, id)) throw new NotFoundException(`webhook endpoint ${id} not found`);
      await audit.record(m, user, { type: 'webhook_endpoint.deleted', targetId: id, data: { url: urlOrigin(endpoint.url) } });
    });
  }

  async attempts(user: AuthUser, id: string, query: ListQueryDto) {
    await this.find(user, id);
    return mapPage(await this.webhooks.findAttemptPage(user.companyId, id, query), toWebhookAttemptView);
  }

  async retry(user: AuthUser, id: string, deliveryId: string): Promise<WebhookRetryAccepted> {
    await this.find(user, id);
    if (!await this.webhooks.deliveryExists(user.companyId, id, deliveryId)) {
      throw new NotFoundException(`delivery ${deliveryId} of webhook endpoint ${id} not found`);
    }
    const { workflowId } = await retryWebhookDeliveryNow(
      this.temporal, this.temporal.taskQueueName, { id: deliveryId, companyId: user.companyId }, this.config.webhooks.retry);
    return { deliveryId, workflowId };
  }

  private async find(user: AuthUser, id: string) {
    const endpoint = await this.webhooks.findEndpoint(user.companyId, id);
    if (!endpoint) throw new NotFoundException(`webhook endpoint ${id} not found`);
    return endpoint;
  }
}

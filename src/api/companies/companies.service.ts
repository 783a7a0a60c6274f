import { validateSendWindow } from '../../domain/send-window';
import { ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CompaniesRepository } from '../../db/companies.repository';
import { UsersRepository } from '../../db/users.repository';
import { WebhooksRepository } from '../../db/webhooks.repository';
import { WorkflowDefinitionsRepository } from '../../db/workflow-definitions.repository';
import { newWebhookSecret } from '../../domain/webhook-signature';
import { SecretBox } from '../../infra/secret-box';
import { WebhookUrlGuard } from '../webhooks/webhook-url-guard';
import { AuthCache } from '../auth/auth-cache';
import { AuthUser } from '../auth/current-user.decorator';
import { toUserView } from '../users/user.mapper';
import { ApiKeysService } from '../users/api-keys.service';
import { createDefaultDefinitions } from '../workflows/default-definitions';
import { DEFINITION_LIFECYCLE, DefinitionLifecycle } from '../workflows/definition-lifecycle';
import { ReminderSchedulesService } from '../reminders/reminder-schedules.service';
import { toCompanyView } from './company.mapper';
import { CreateCompanyDto, UpdateCompanyDto } from './dto/company.dto';
import { audit } from '../audit/audit-trail';
import { changesOf, urlOrigin } from '../../domain/audit';
import type { Company } from '../../db/entities';

@Injectable()
export class CompaniesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly apiKeys: ApiKeysService,
    @Inject(DEFINITION_LIFECYCLE) private readonly lifecycle: DefinitionLifecycle,
    private readonly authCache: AuthCache,
    private readonly schedules: ReminderSchedulesService,
    private readonly webhookUrls: WebhookUrlGuard,
    private readonly box: SecretBox,
  ) {}

  /** A new tenant with its first admin and key; `clientAddress` is the sign-up's, for the audit trail. */
  async create(dto: CreateCompanyDto, clientAddress?: string) {
    return this.dataSource.transaction(async (manager) => {
      const company = await new CompaniesRepository(manager).insert({
        name: dto.company.name.trim(), locale: dto.company.locale, timezone: dto.company.timezone,
        currency: dto.company.currency, plan: dto.company.plan ?? 'advanced', webhookUrl: null,
      });
      const user = await new UsersRepository(manager).insert({
        companyId: company.id, name: dto.admin.name.trim(), email: dto.admin.email.toLowerCase(), role: 'admin',
      });
      const admin = { id: user.id, companyId: company.id, clientAddress };
      const { entity, key } = await this.apiKeys.issue(manager, company.id, user.id);
      const actor = { ...admin, apiKeyId: entity.id };
      await audit.record(manager, actor, { type: 'company.created', targetId: company.id, data: { plan: company.plan } });
      await audit.record(manager, actor, { type: 'user.created', targetId: user.id, data: { role: 'admin' } });
      await audit.record(manager, actor, { type: 'api_key.issued', targetId: entity.id, data: { userId: user.id, prefix: entity.prefix } });
      const context = { manager, company: { id: company.id, timezone: company.timezone, locale: company.locale, plan: company.plan } };
      for (const definition of await createDefaultDefinitions(company.id, company.locale, manager)) {
        if (definition.status === 'active') await this.lifecycle.onActivated(definition, context);
      }
      return { company: toCompanyView(company), user: toUserView(user), apiKey: key };
    });
  }

  async get(user: AuthUser) {
    const company = await new CompaniesRepository(this.dataSource).find(user.companyId);
    if (!company) throw new NotFoundException('company not found');
    return toCompanyView(company);
  }

  async update(user: AuthUser, dto: UpdateCompanyDto) {
    if (dto.webhookUrl) await this.webhookUrls.check(dto.webhookUrl, 'webhookUrl');
    const view = await this.dataSource.transaction(async (manager) => {
      const companies = new CompaniesRepository(manager);
      const company = await companies.lockForUpdate(user.companyId);
      if (!company) throw new NotFoundException('company not found');
      const before = { ...company };
      if (dto.plan === 'essentials' && company.plan !== 'essentials') {
        const pending = await companies.countPendingApprovals(company.id);
        if (pending > 0) {
          throw new ConflictException(
            `cannot downgrade to essentials while ${pending} invoice(s) are pending approval: approve or reject them first`,
          );
        }
        await new WorkflowDefinitionsRepository(manager).setStatusOfCompany(company.id, 'active', 'inactive');
      }
      const webhookChanged = dto.webhookUrl !== undefined && dto.webhookUrl !== company.webhookUrl;
      // A new URL gets a new secret, answered by this PATCH only; it is kept sealed with the company's webhook endpoint.
      const webhookSecret = webhookChanged && dto.webhookUrl ? newWebhookSecret() : null;
      const { sendWindow, ...fields } = dto;
      Object.assign(company, Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)));
      if (sendWindow !== undefined) company.sendWindow = sendWindow === null ? null : validateSendWindow(sendWindow);
      const saved = await companies.save(company);
      // The push notifications' webhook is a webhook endpoint, kept in line in the same transaction.
      if (webhookChanged) {
        await new WebhooksRepository(manager).setCompanyEndpoint(saved.id, saved.webhookUrl, webhookSecret && this.box.seal(webhookSecret, 'webhook-secret'));
      }
      const changed = updatedData(before, saved);
      if (changed) await audit.record(manager, user, { type: 'company.updated', targetId: saved.id, data: changed });
      return { ...toCompanyView(saved), ...(webhookSecret ? { webhookSecret } : {}) };
    });
    this.authCache.forgetCompany(user.companyId);
    // After the commit, so that a schedule never pauses for a downgrade that rolled back.
    if (view.plan === 'essentials') await this.schedules.pauseAllForCompany(view.id);
    return view;
  }
}

/**
 * What a `company.updated` entry says: each setting that changed, old and new; the webhook URL by its origin only (its
 * path may hold a token) and its secret never, only that a new one was made. Null when nothing changed.
 */
function updatedData(before: Company, after: Company): Record<string, unknown> | null {
  const changes = changesOf(before, after, ['name', 'locale', 'timezone', 'currency', 'plan', 'emailApprovalLimit', 'sendWindow']);
  if (before.webhookUrl !== after.webhookUrl) changes.webhookUrl = { old: urlOrigin(before.webhookUrl), new: urlOrigin(after.webhookUrl) };
  if (Object.keys(changes).length === 0) return null;
  // A new URL always gets a new secret (the entry says so; the secret itself is never read here).
  return { changes, ...(after.webhookUrl && after.webhookUrl !== before.webhookUrl ? { webhookSecretRotated: true } : {}) };
}

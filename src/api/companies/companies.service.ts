import { ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Company, Invoice, User, WorkflowDefinition } from '../../db/entities';
import { AuthCache } from '../auth/auth-cache';
import { AuthUser } from '../auth/current-user.decorator';
import { toUserView } from '../users/user.mapper';
import { ApiKeysService } from '../users/api-keys.service';
import { createDefaultDefinitions } from '../workflows/default-definitions';
import { DEFINITION_LIFECYCLE, DefinitionLifecycle } from '../workflows/definition-lifecycle';
import { ReminderSchedulesService } from '../reminders/reminder-schedules.service';
import { toCompanyView } from './company.mapper';
import { CreateCompanyDto, UpdateCompanyDto } from './dto/company.dto';

@Injectable()
export class CompaniesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly apiKeys: ApiKeysService,
    @Inject(DEFINITION_LIFECYCLE) private readonly lifecycle: DefinitionLifecycle,
    private readonly authCache: AuthCache,
    private readonly schedules: ReminderSchedulesService,
  ) {}

  async create(dto: CreateCompanyDto) {
    return this.dataSource.transaction(async (manager) => {
      const company = await manager.save(manager.create(Company, {
        name: dto.company.name.trim(), locale: dto.company.locale, timezone: dto.company.timezone,
        currency: dto.company.currency, plan: dto.company.plan ?? 'advanced', webhookUrl: null, webhookSecret: null,
      }));
      const user = await manager.save(manager.create(User, {
        companyId: company.id, name: dto.admin.name.trim(), email: dto.admin.email.toLowerCase(), role: 'admin',
      }));
      const { key } = await this.apiKeys.issue(manager, company.id, user.id);
      const context = { manager, company: { id: company.id, timezone: company.timezone, locale: company.locale, plan: company.plan } };
      for (const definition of await createDefaultDefinitions(company.id, company.locale, manager)) {
        if (definition.status === 'active') await this.lifecycle.onActivated(definition, context);
      }
      return { company: toCompanyView(company, { withSecrets: true }), user: toUserView(user), apiKey: key };
    });
  }

  async get(user: AuthUser) {
    const company = await this.dataSource.getRepository(Company).findOneBy({ id: user.companyId });
    if (!company) throw new NotFoundException('company not found');
    return toCompanyView(company, { withSecrets: user.role === 'admin' });
  }

  async update(user: AuthUser, dto: UpdateCompanyDto) {
    const view = await this.dataSource.transaction(async (manager) => {
      const company = await manager.getRepository(Company).findOne({ where: { id: user.companyId }, lock: { mode: 'pessimistic_write' } });
      if (!company) throw new NotFoundException('company not found');
      if (dto.plan === 'essentials' && company.plan !== 'essentials') {
        const pending = await manager.getRepository(Invoice).countBy({ companyId: company.id, approvalStatus: 'pending_approval' });
        if (pending > 0) {
          throw new ConflictException(
            `cannot downgrade to essentials while ${pending} invoice(s) are pending approval: approve or reject them first`,
          );
        }
        await manager.getRepository(WorkflowDefinition).update({ companyId: company.id, status: 'active' }, { status: 'inactive' });
      }
      if (dto.webhookUrl !== undefined && dto.webhookUrl !== company.webhookUrl) {
        company.webhookSecret = dto.webhookUrl ? randomBytes(24).toString('base64url') : null;
      }
      Object.assign(company, Object.fromEntries(Object.entries(dto).filter(([, v]) => v !== undefined)));
      const saved = await manager.save(company);
      return toCompanyView(saved, { withSecrets: true });
    });
    this.authCache.forgetCompany(user.companyId);
    // After the commit, so that a schedule never pauses for a downgrade that rolled back.
    if (view.plan === 'essentials') await this.schedules.pauseAllForCompany(view.id);
    return view;
  }
}

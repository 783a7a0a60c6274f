import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { WorkflowDefinition } from '../../db/entities';
import { ApproverGroupsRepository } from '../../db/approver-groups.repository';
import { UsersRepository } from '../../db/users.repository';
import { WorkflowDefinitionsRepository } from '../../db/workflow-definitions.repository';
import { WorkflowDefinitionVersionsRepository } from '../../db/workflow-definition-versions.repository';
import { editMakesVersion, parseVersionNumber, VERSIONED_FIELDS } from '../../domain/definition-versions';
import type { DefinitionStatus } from '../../db/entities';
import {
  activationProblems, DefinitionError, DefinitionInput, NormalizedDefinition, normalizeDefinition, referencedGroupIds, referencedUserIds,
} from '../../domain/definitions';
import { findTemplate, TEMPLATE_KEYS, WorkflowTemplate } from '../../domain/templates';
import { AuthUser } from '../auth/current-user.decorator';
import { DomainError, dottedPath } from '../../domain/errors';
import { stepsChangeProblem } from '../../domain/collection-sequence';
import { mapPage, Page } from '../../db/pagination';
import { ListQueryDto, splitList } from '../common/pagination';
import { DEFINITION_LIFECYCLE, DefinitionLifecycle, LifecycleContext } from './definition-lifecycle';
import { CreateWorkflowDto, ListWorkflowsQueryDto, UpdateWorkflowDto } from './dto/workflow.dto';
import { toWorkflowVersionView, toWorkflowView, WorkflowVersionView, WorkflowView } from './workflow.mapper';
import { audit } from '../audit/audit-trail';
import { changesOf } from '../../domain/audit';

const STATUSES: readonly DefinitionStatus[] = ['draft', 'active', 'inactive'];

@Injectable()
export class WorkflowsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(DEFINITION_LIFECYCLE) private readonly lifecycle: DefinitionLifecycle,
  ) {}

  async create(caller: AuthUser, dto: CreateWorkflowDto): Promise<WorkflowView> {
    return this.dataSource.transaction(async (manager) => {
      const definition = await this.checked(manager, caller, dto);
      if (dto.activate) this.checkActivatable(caller, definition);
      const row = await new WorkflowDefinitionsRepository(manager).insert(rowOf(caller, definition, dto.activate ? 'active' : 'draft'));
      if (row.status === 'active') await this.lifecycle.onActivated(row, this.context(manager, caller));
      await audit.record(manager, caller, { type: 'workflow.created', targetId: row.id, data: { templateKey: row.templateKey, name: row.name, status: row.status } });
      return toWorkflowView(row);
    });
  }

  /**
   * The definition `dto` describes, checked exactly as `create` checks it (same refusals, same messages) and not saved:
   * a draft without an id, for a preview before "Save". `activate` is checked as a field and otherwise ignored.
   */
  async draft(caller: AuthUser, dto: CreateWorkflowDto): Promise<WorkflowDefinition> {
    const definition = await this.checked(this.dataSource.manager, caller, dto);
    return Object.assign(new WorkflowDefinition(), rowOf(caller, definition, 'draft'));
  }

  private async checked(manager: EntityManager, caller: AuthUser, dto: CreateWorkflowDto): Promise<NormalizedDefinition> {
    const definition = this.normalize(this.template(dto.templateKey), dto, caller);
    await this.checkUsers(manager, caller, definition);
    return definition;
  }

  async list(caller: AuthUser, query: ListWorkflowsQueryDto): Promise<Page<WorkflowView>> {
    if (query.templateKey !== undefined) this.template(query.templateKey);
    const statuses = splitList(query.status);
    if (statuses) {
      const unknown = statuses.find((s) => !(STATUSES as readonly string[]).includes(s));
      if (unknown !== undefined) throw new DomainError(400, `status "${unknown}" is not a definition status; expected draft, active or inactive`);
      if (statuses.length === 0) throw new DomainError(400, 'status names no status; expected a comma-separated list of draft, active or inactive');
    }
    const filter = { templateKey: query.templateKey, statuses };
    return mapPage(await new WorkflowDefinitionsRepository(this.dataSource).findPage(caller.companyId, filter, query), toWorkflowView);
  }

  async get(caller: AuthUser, id: string): Promise<WorkflowView> {
    return toWorkflowView(await this.entity(caller, id));
  }

  entity(caller: AuthUser, id: string): Promise<WorkflowDefinition> {
    return this.find(this.dataSource.manager, caller, id);
  }

  async update(caller: AuthUser, id: string, dto: UpdateWorkflowDto): Promise<WorkflowView> {
    return this.dataSource.transaction(async (manager) => {
      const row = await this.find(manager, caller, id, true);
      if (dto.templateKey !== undefined && dto.templateKey !== row.templateKey) {
        throw new DomainError(400, `templateKey cannot change (this definition is a "${row.templateKey}"); create a new definition instead`);
      }
      const template = this.template(row.templateKey);
      const merged: DefinitionInput = {
        name: dto.name ?? row.name,
        conditions: dto.conditions ?? row.conditions,
        actions: dto.actions ?? row.actions,
        schedule: dto.schedule === undefined ? row.schedule ?? undefined : dto.schedule,
        steps: dto.steps ?? row.sequence?.steps,
        catchUp: dto.catchUp ?? row.sequence?.catchUp,
        // Null is a value here (one email per invoice), not "unchanged".
        groupBy: dto.groupBy === undefined ? row.sequence?.groupBy : dto.groupBy,
      };
      const definition = this.normalize(template, merged, caller);
      await this.checkUsers(manager, caller, definition);
      if (dto.steps && row.sequence && definition.sequence) {
        const reached = await new WorkflowDefinitionsRepository(manager).furthestStepReached(row.id);
        const problem = stepsChangeProblem(row.sequence.steps, definition.sequence.steps, reached);
        if (problem) throw new DomainError(409, problem);
      }
      if (row.status === 'active') {
        const problems = activationProblems(definition);
        if (problems.length) throw new DomainError(422, `an active definition must stay complete: ${problems.join('; ')}; deactivate it first to save it incomplete`);
      }
      const before = { ...row };
      Object.assign(row, {
        name: definition.name, conditions: definition.conditions, actions: definition.actions, schedule: definition.schedule,
        sequence: definition.sequence ?? null,
      });
      const changes = changesOf(before, row, VERSIONED_FIELDS);
      const changed = Object.keys(changes).length > 0;
      const newVersion = changed && editMakesVersion(template.trigger, row.status);
      if (newVersion) row.version = before.version + 1;
      const saved = await new WorkflowDefinitionsRepository(manager).save(row);
      const versions = new WorkflowDefinitionVersionsRepository(manager);
      if (newVersion) await versions.insert([{ ...saved, createdBy: caller.id }]);
      else if (changed) await versions.rewriteCurrent(saved);
      await this.lifecycle.onUpdated(saved, this.context(manager, caller));
      if (changed) {
        const version = newVersion ? { old: before.version, new: saved.version } : undefined;
        await audit.record(manager, caller, { type: 'workflow.updated', targetId: saved.id, data: updatedData(changes, version) });
      }
      return toWorkflowView(saved);
    });
  }

  /** The definition's versions, newest first (404 as `get` for another company's definition). */
  async versions(caller: AuthUser, id: string, query: ListQueryDto): Promise<Page<WorkflowVersionView>> {
    await this.find(this.dataSource.manager, caller, id);
    return mapPage(await new WorkflowDefinitionVersionsRepository(this.dataSource).findPage(id, query), toWorkflowVersionView);
  }

  /** Version `number` (as the path gives it) of the definition. */
  async version(caller: AuthUser, id: string, number: string): Promise<WorkflowVersionView> {
    const version = parseVersionNumber(number);
    if (version === null) throw new DomainError(400, `"${number}" is not a version number (a whole number from 1)`);
    const definition = await this.find(this.dataSource.manager, caller, id);
    const row = await new WorkflowDefinitionVersionsRepository(this.dataSource).findOne(definition.id, version);
    if (!row) throw new DomainError(404, `workflow ${id} has no version ${version}; its latest is ${definition.version}`);
    return toWorkflowVersionView(row);
  }

  async remove(caller: AuthUser, id: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const row = await this.find(manager, caller, id, true);
      const before = Object.assign(new WorkflowDefinition(), row);
      await new WorkflowDefinitionsRepository(manager).delete(row.id);
      await this.lifecycle.onDeleted(before, this.context(manager, caller));
      await audit.record(manager, caller, { type: 'workflow.deleted', targetId: before.id, data: { templateKey: before.templateKey, name: before.name, status: before.status } });
    });
  }

  async activate(caller: AuthUser, id: string): Promise<WorkflowView> {
    return this.dataSource.transaction(async (manager) => {
      const row = await this.find(manager, caller, id, true);
      if (row.status === 'active') return toWorkflowView(row);
      // Re-read through the domain: a stored definition is checked again against today's catalogue and users.
      const definition = this.normalize(this.template(row.templateKey), { ...row, steps: row.sequence?.steps, catchUp: row.sequence?.catchUp, groupBy: row.sequence?.groupBy }, caller);
      await this.checkUsers(manager, caller, definition);
      this.checkActivatable(caller, definition);
      const { status } = row;
      row.status = 'active';
      const saved = await new WorkflowDefinitionsRepository(manager).save(row);
      await this.lifecycle.onActivated(saved, this.context(manager, caller));
      await audit.record(manager, caller, { type: 'workflow.activated', targetId: saved.id, data: { status: { old: status, new: 'active' } } });
      return toWorkflowView(saved);
    });
  }

  async deactivate(caller: AuthUser, id: string): Promise<WorkflowView> {
    return this.dataSource.transaction(async (manager) => {
      const row = await this.find(manager, caller, id, true);
      if (row.status === 'inactive') return toWorkflowView(row);
      if (row.status === 'draft') throw new DomainError(409, `workflow ${id} is a draft and has never been active; activate it or delete it`);
      row.status = 'inactive';
      const saved = await new WorkflowDefinitionsRepository(manager).save(row);
      await this.lifecycle.onDeactivated(saved, this.context(manager, caller));
      await audit.record(manager, caller, { type: 'workflow.deactivated', targetId: saved.id, data: { status: { old: 'active', new: 'inactive' } } });
      return toWorkflowView(saved);
    });
  }

  /** The caller's definition, or 404 (also for another company's: ids never leak across tenants). */
  private async find(manager: EntityManager, caller: AuthUser, id: string, lock = false): Promise<WorkflowDefinition> {
    const row = await new WorkflowDefinitionsRepository(manager).findOwned(caller.companyId, id, { lock });
    if (!row) throw new DomainError(404, `workflow ${id} not found`);
    return row;
  }

  template(key: string): WorkflowTemplate {
    const template = findTemplate(key);
    if (!template) {
      const message = `templateKey "${key}" is not a template; expected one of ${TEMPLATE_KEYS.join(', ')}`;
      throw new DomainError(400, message, [{ field: 'templateKey', message }]);
    }
    return template;
  }

  private normalize(template: WorkflowTemplate, input: DefinitionInput, caller: AuthUser): NormalizedDefinition {
    try {
      return normalizeDefinition(template, input, { locale: caller.company.locale });
    } catch (err) {
      if (err instanceof DefinitionError) throw new DomainError(400, err.message, err.field ? [{ field: err.field, message: err.message }] : undefined);
      throw err;
    }
  }

  private checkActivatable(caller: AuthUser, definition: NormalizedDefinition): void {
    if (caller.company.plan !== 'advanced') {
      throw new DomainError(409, `workflows run only on the advanced plan; the company is on "${caller.company.plan}"`);
    }
    const problems = activationProblems(definition);
    if (problems.length) throw new DomainError(422, `cannot activate the definition: ${problems.join('; ')}`);
  }

  /** Every recipient, assignee and approver must be a user of the caller's company, every approver or candidate group one of its groups. */
  private async checkUsers(manager: EntityManager, caller: AuthUser, definition: Pick<NormalizedDefinition, 'actions' | 'sequence'>): Promise<void> {
    await this.checkGroups(manager, caller, definition);
    const refs = referencedUserIds(definition.actions, definition.sequence);
    if (refs.length === 0) return;
    const ids = [...new Set(refs.map((r) => r.userId))];
    const known = await new UsersRepository(manager).findIdsAmong(caller.companyId, ids);
    const missing = refs.find((r) => !known.has(r.userId));
    if (missing) {
      const message = `${missing.path}: user ${missing.userId} is not a user of this company`;
      throw new DomainError(400, message, [{ field: dottedPath(missing.path), message }]);
    }
  }

  private async checkGroups(manager: EntityManager, caller: AuthUser, definition: Pick<NormalizedDefinition, 'actions' | 'sequence'>): Promise<void> {
    const refs = referencedGroupIds(definition.actions, definition.sequence);
    if (refs.length === 0) return;
    const known = await new ApproverGroupsRepository(manager).findIdsAmong(caller.companyId, [...new Set(refs.map((r) => r.groupId))]);
    const missing = refs.find((r) => !known.has(r.groupId));
    if (missing) {
      const message = `${missing.path}: approver group ${missing.groupId} is not a group of this company`;
      throw new DomainError(400, message, [{ field: dottedPath(missing.path), message }]);
    }
  }

  private context(manager: EntityManager, caller: AuthUser): LifecycleContext {
    const { id, timezone, locale, plan } = caller.company;
    return { manager, company: { id, timezone, locale, plan } };
  }
}

/** The row a new definition is saved as. */
function rowOf(caller: AuthUser, definition: NormalizedDefinition, status: DefinitionStatus) {
  return {
    companyId: caller.companyId, templateKey: definition.templateKey, name: definition.name, status,
    conditions: definition.conditions, actions: definition.actions, schedule: definition.schedule, sequence: definition.sequence ?? null,
    locale: caller.company.locale, createdBy: caller.id,
  };
}

/**
 * What a `workflow.updated` entry says: the parts that changed, the name's old and new values (the rest is message
 * text), and the version the edit made, if it made one.
 */
function updatedData(changes: Record<string, { old: unknown; new: unknown }>, version?: { old: number; new: number }): Record<string, unknown> {
  return { fields: Object.keys(changes), ...(changes.name ? { changes: { name: changes.name } } : {}), ...(version ? { version } : {}) };
}

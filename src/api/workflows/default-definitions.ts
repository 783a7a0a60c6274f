import type { EntityManager } from 'typeorm';
import { CompaniesRepository } from '../../db/companies.repository';
import { WorkflowDefinition } from '../../db/entities';
import { UsersRepository } from '../../db/users.repository';
import { WorkflowDefinitionsRepository } from '../../db/workflow-definitions.repository';
import { normalizeDefinition } from '../../domain/definitions';
import { findTemplate, TemplateKey } from '../../domain/templates';

export const DEFAULT_TEMPLATE_KEYS: readonly TemplateKey[] = ['payment-due-reminder', 'unsent-invoice-reminder'];

/**
 * The definitions a new company starts with: a payment due reminder to customers and a reminder to the admins
 * about unsent invoices, in the company's locale. Call it after the first admin is saved (team reminders go to
 * the admins); they are active on the advanced plan, inactive otherwise. The caller tells the DefinitionLifecycle
 * about each active one it returns.
 */
export async function createDefaultDefinitions(companyId: string, locale: string, manager: EntityManager): Promise<WorkflowDefinition[]> {
  const company = await new CompaniesRepository(manager).find(companyId);
  if (!company) throw new Error(`createDefaultDefinitions: company ${companyId} not found`);
  const admins = await new UsersRepository(manager).findAdmins(companyId);
  if (admins.length === 0) throw new Error(`createDefaultDefinitions: company ${companyId} has no admin yet; save the first admin before`);
  const adminIds = admins.map((a) => a.id);
  const rows = DEFAULT_TEMPLATE_KEYS.map((key) => {
    const template = findTemplate(key)!;
    const input = template.audience === 'team' ? { actions: [{ type: 'email', to: { userIds: adminIds } }] } : {};
    const definition = normalizeDefinition(template, input, { locale });
    return {
      companyId, templateKey: key, name: definition.name, status: company.plan === 'advanced' ? 'active' as const : 'inactive' as const,
      conditions: definition.conditions, actions: definition.actions, schedule: definition.schedule, locale, createdBy: null,
    };
  });
  return new WorkflowDefinitionsRepository(manager).insertAll(rows);
}

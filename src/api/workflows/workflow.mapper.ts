import { WorkflowDefinition } from '../../db/entities';

export function toWorkflowView(d: WorkflowDefinition) {
  return {
    id: d.id, companyId: d.companyId, templateKey: d.templateKey, name: d.name, status: d.status,
    conditions: d.conditions, actions: d.actions, schedule: d.schedule, locale: d.locale, createdBy: d.createdBy,
    ...(d.sequence ? { steps: d.sequence.steps, catchUp: d.sequence.catchUp } : {}),
    createdAt: d.createdAt.toISOString(), updatedAt: d.updatedAt.toISOString(),
  };
}

export type WorkflowView = ReturnType<typeof toWorkflowView>;

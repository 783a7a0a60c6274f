import { CONDITION_FIELDS } from '../../domain/conditions';
import { normalizeDefinition } from '../../domain/definitions';
import { SUPPORTED_LOCALES, WorkflowTemplate } from '../../domain/templates';

/** A template as the catalogue shows it: condition fields with their types and operators, and complete defaults per locale. */
export function toTemplateView(t: WorkflowTemplate) {
  return {
    key: t.key,
    audience: t.audience,
    recordType: t.recordType,
    trigger: t.trigger,
    ...(t.event ? { event: t.event } : {}),
    description: t.description,
    conditionFields: t.conditionFields.map((field) => {
      const spec = CONDITION_FIELDS[t.recordType][field];
      return { field, type: spec.type, ops: spec.ops, description: spec.description, ...(spec.values ? { values: spec.values } : {}) };
    }),
    variables: t.variables,
    actionTypes: t.actionTypes,
    defaults: Object.fromEntries(SUPPORTED_LOCALES.map((locale) => {
      const { templateKey: _key, sequence, ...definition } = normalizeDefinition(t, {}, { locale });
      return [locale, { ...definition, ...(sequence ? { steps: sequence.steps, catchUp: sequence.catchUp } : {}) }];
    })),
  };
}

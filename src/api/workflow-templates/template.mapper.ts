import { ApiProperty, ApiPropertyOptional, ApiPropertyOptions, ApiSchema } from '@nestjs/swagger';
import { CONDITION_FIELDS } from '../../domain/conditions';
import { normalizeDefinition } from '../../domain/definitions';
import { STATEMENT_VARIABLES } from '../../domain/statements';
import { SUPPORTED_LOCALES, TEMPLATE_KEYS, WorkflowTemplate } from '../../domain/templates';
import { text } from '../common/api-docs';

const perLocale = (value: { type: 'string' | 'object'; description?: string }): ApiPropertyOptions =>
  ({ type: 'object', additionalProperties: value, description: 'One entry per locale (en-US, fr-CA)' });

class ConditionFieldView {
  @ApiProperty({ ...text, example: 'dueDate' }) field!: string;
  @ApiProperty({ ...text, example: 'date' }) type!: string;
  @ApiProperty({ type: [String], example: ['eq', 'within_days'] }) ops!: readonly string[];
  @ApiProperty(text) description!: string;
  @ApiPropertyOptional({ type: [String], description: 'The values an enumerated field takes' }) values?: readonly string[];
}

class TemplateVariableView {
  @ApiProperty({ ...text, example: 'invoiceNumber' }) name!: string;
  @ApiProperty({ ...text, example: 'text' }) type!: string;
  @ApiProperty(text) description!: string;
  @ApiProperty({ oneOf: [{ type: 'string' }, { type: 'number' }], example: 'INV-1042' }) example!: string | number;
}

@ApiSchema({ name: 'WorkflowTemplate' })
export class WorkflowTemplateView {
  @ApiProperty({ enum: TEMPLATE_KEYS }) key!: string;
  @ApiProperty({ ...text, example: 'customer' }) audience!: string;
  @ApiProperty({ ...text, example: 'invoice' }) recordType!: string;
  @ApiProperty({ ...text, example: 'schedule' }) trigger!: string;
  @ApiPropertyOptional({ ...text, description: 'For event templates: the event that starts a run', example: 'payment.recorded' }) event?: string;
  @ApiProperty(perLocale({ type: 'string' })) description!: Record<string, string>;
  @ApiProperty({ type: [ConditionFieldView] }) conditionFields!: ConditionFieldView[];
  @ApiProperty({ type: [TemplateVariableView] }) variables!: readonly TemplateVariableView[];
  @ApiPropertyOptional({
    type: [TemplateVariableView],
    description: 'collection-sequence only: the variables of a statement (groupBy "customer"), which its steps take instead of `variables`',
  })
  statementVariables?: readonly TemplateVariableView[];
  @ApiProperty({ type: [String], example: ['email', 'push'] }) actionTypes!: readonly string[];
  @ApiProperty(perLocale({ type: 'object', description: 'name, conditions, actions and schedule of a new definition' })) defaults!: Record<string, object>;
}

/** A template as the catalogue shows it: condition fields with their types and operators, and complete defaults per locale. */
export function toTemplateView(t: WorkflowTemplate): WorkflowTemplateView {
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
    ...(t.key === 'collection-sequence' ? { statementVariables: STATEMENT_VARIABLES } : {}),
    actionTypes: t.actionTypes,
    defaults: Object.fromEntries(SUPPORTED_LOCALES.map((locale) => {
      const { templateKey: _key, sequence, ...definition } = normalizeDefinition(t, {}, { locale });
      return [locale, { ...definition, ...(sequence ? { steps: sequence.steps, catchUp: sequence.catchUp, groupBy: sequence.groupBy ?? null } : {}) }];
    })),
  };
}

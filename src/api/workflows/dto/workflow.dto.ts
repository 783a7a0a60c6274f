import { ApiExtraModels, ApiHideProperty, ApiProperty, ApiPropertyOptions, ApiPropertyOptional, ApiSchema, getSchemaPath } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { Allow, IsBoolean, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { CONDITION_OPS } from '../../../domain/conditions';
import { CATCH_UP_POLICIES } from '../../../domain/collection-sequence';
import { GROUP_BY } from '../../../domain/statements';
import { TEMPLATE_KEYS } from '../../../domain/templates';
import { ListQueryDto } from '../../common/pagination';

const conditionsDoc: ApiPropertyOptions = {
  description: `All must hold. Each is { field, op, value } over the template's condition fields (see GET /v1/workflow-templates); `
    + `operators: ${CONDITION_OPS.join(', ')}. Money values are decimal strings; day counts are whole numbers. Omitted: the template's defaults.`,
  example: [{ field: 'amount', op: 'gt', value: '1000.00' }, { field: 'dueDate', op: 'within_days', value: 3 }],
  type: 'array',
  items: { type: 'object', properties: { field: { type: 'string' }, op: { type: 'string', enum: [...CONDITION_OPS] }, value: {} } },
};

const userIds = { type: 'array', items: { type: 'string', format: 'uuid' } } as const;

/** One step of an approval action, as domain/definitions checks it; documentation only. */
@ApiSchema({ name: 'ApprovalStepInput' })
class ApprovalStepInput {
  @ApiProperty({ ...userIds, minItems: 1, description: 'who may decide the step' }) approverIds!: string[];
  @ApiPropertyOptional({ type: 'integer', minimum: 1, default: 1, description: 'distinct approvers needed (quorum), at most the number of approverIds' })
  required?: number;
  @ApiPropertyOptional({
    type: 'integer', minimum: 1, maximum: 364,
    description: 'with no decision after this many days of the step, escalateToId joins its approvers; given with escalateToId',
  })
  escalateAfterDays?: number;
  @ApiPropertyOptional({ type: 'string', format: 'uuid', description: 'a user who is not an approver of the step; given with escalateAfterDays' })
  escalateToId?: string;
}

/** The `approval` action of an invoice-approval or bill-approval definition: one step (approverIds, and its rules) or `steps`. */
@ApiSchema({ name: 'ApprovalActionInput' })
class ApprovalActionInput {
  @ApiProperty({ enum: ['approval'] }) type!: 'approval';
  @ApiPropertyOptional({ ...userIds, minItems: 1, description: 'one step; not with steps' }) approverIds?: string[];
  @ApiPropertyOptional({ type: 'integer', minimum: 1, default: 1, description: 'with approverIds: the step\'s quorum' }) required?: number;
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 364, description: 'with approverIds: the step\'s escalation delay' }) escalateAfterDays?: number;
  @ApiPropertyOptional({ type: 'string', format: 'uuid', description: 'with approverIds: the step\'s escalation user' }) escalateToId?: string;
  @ApiPropertyOptional({ type: [ApprovalStepInput], minItems: 1, maxItems: 10, description: 'sequential steps; not with approverIds' }) steps?: ApprovalStepInput[];
  @ApiPropertyOptional({ type: 'object', properties: { userIds }, description: 'team members told of the request and the outcome' }) notify?: { userIds: string[] };
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 365, default: 30 }) timeoutDays?: number;
  @ApiPropertyOptional({ type: 'integer', minimum: 0, default: 1, description: 'less than timeoutDays; 0: no reminder' }) reminderDaysBefore?: number;
  @ApiPropertyOptional({ type: 'boolean', default: false }) allowAdmins?: boolean;
  @ApiPropertyOptional({ type: 'string', description: 'the request email\'s subject (Handlebars)' }) subject?: string;
  @ApiPropertyOptional({ type: 'string', description: 'the request email\'s body (Handlebars)' }) body?: string;
}

const actionsDoc: ApiPropertyOptions = {
  description: 'email { to: "customer" | { userIds, emails }, subject, body }; push { userIds, title?, body? }; task { assigneeId and/or candidateGroupId, title, description? }; '
    + 'memo { text }; stamp { text }; send { subject, body } (sends the invoice); approval (ApprovalActionInput) { approverIds, required? (1), '
    + 'escalateAfterDays? and escalateToId? | steps: [{ approverIds, required? (1), escalateAfterDays? and escalateToId? }], notify?: { userIds }, '
    + 'timeoutDays? (30), reminderDaysBefore? (1), allowAdmins? (false), subject?, body? }: a step is approved when `required` distinct approvers '
    + 'approve (the invoice creator never counts), one rejection rejects, and with no decision after escalateAfterDays escalateToId joins it. '
    + "Texts are Handlebars over the template variables. Omitted: the template's defaults in the company locale.",
  example: [{ type: 'email', to: 'customer', subject: 'Invoice {{invoiceNumber}} is due on {{date dueDate}}', body: 'Hello {{customerName}}, ...' }],
  type: 'array',
  items: { anyOf: [{ $ref: getSchemaPath(ApprovalActionInput) }, { type: 'object', additionalProperties: true, description: 'another type of action' }] },
};

const stepsDoc: ApiPropertyOptions = {
  description: 'collection-sequence only: ordered steps, each { offsetDays (days from the due date, negative before it, strictly increasing), '
    + 'subject, body, task?: { assigneeId and/or candidateGroupId, title, description? }, attachInvoicePdf? (false) }. Each invoice gets each step at most once, in order. '
    + "Omitted: the template's default three steps (-3, +1, +7) in the company locale.",
  example: [
    { offsetDays: -3, subject: 'Invoice {{invoiceNumber}} is due on {{date dueDate}}', body: 'Hello {{customerName}}, ...' },
    { offsetDays: 7, subject: 'Invoice {{invoiceNumber}} is overdue', body: '...', task: { assigneeId: '11111111-1111-4111-8111-111111111111', title: 'Call {{customerName}}' } },
  ],
  type: 'array',
  items: {
    type: 'object',
    required: ['offsetDays', 'subject', 'body'],
    properties: {
      offsetDays: { type: 'integer', minimum: -365, maximum: 365 }, subject: { type: 'string' }, body: { type: 'string' },
      attachInvoicePdf: { type: 'boolean', default: false },
      task: {
        type: 'object',
        properties: { assigneeId: { type: 'string', format: 'uuid' }, candidateGroupId: { type: 'string', format: 'uuid' }, title: { type: 'string' }, description: { type: 'string' } },
      },
    },
  },
};

const catchUpDoc: ApiPropertyOptions = {
  enum: [...CATCH_UP_POLICIES], default: 'latest',
  description: 'collection-sequence only: for steps whose day passed unsent (the sequence switched on late), latest sends only the latest of them, '
    + 'none sends only steps falling on the day of the run, all sends each in order, one per day.',
};

const groupByDoc: ApiPropertyOptions = {
  enum: [...GROUP_BY], nullable: true, default: null,
  description: 'collection-sequence only: "customer" sends one statement email per customer and run, listing each of its invoices that has a step due, '
    + 'with a statement PDF; its texts take the statement variables (invoiceList, totalBalance, invoiceCount, ...). null: one email per invoice.',
};

/** `{ time: "HH:MM" }`, checked with the rest of the definition by the service (domain/definitions). */
class ScheduleInput {
  @ApiProperty({ type: String, pattern: '^([01]\\d|2[0-3]):[0-5]\\d$', example: '09:00' }) time!: string;
}
const scheduleDoc: ApiPropertyOptions = { type: ScheduleInput, nullable: true };

@ApiExtraModels(ApprovalActionInput, ApprovalStepInput)
export class CreateWorkflowDto {
  @ApiProperty({ enum: TEMPLATE_KEYS, example: 'payment-due-reminder' })
  @IsString({ message: 'templateKey must be a string naming a template of GET /v1/workflow-templates' })
  templateKey!: string;

  @ApiPropertyOptional({ type: String, minLength: 1, maxLength: 200, example: 'Due in three days', description: "Omitted: the template's default name in the company locale" })
  @IsOptional() @Allow()
  name?: unknown;

  @ApiPropertyOptional(conditionsDoc)
  @IsOptional() @Allow()
  conditions?: unknown;

  @ApiPropertyOptional(actionsDoc)
  @IsOptional() @Allow()
  actions?: unknown;

  @ApiPropertyOptional({ ...scheduleDoc, example: { time: '09:00' }, description: 'Scheduled templates only: daily time HH:MM in the company timezone' })
  @IsOptional() @Allow()
  schedule?: unknown;

  @ApiPropertyOptional({ type: Boolean, default: false, description: '"Save and activate": create the definition active instead of draft' })
  @IsOptional() @IsBoolean({ message: 'activate must be true or false' })
  activate?: boolean;

  @ApiPropertyOptional(stepsDoc)
  @IsOptional() @Allow()
  steps?: unknown;

  @ApiPropertyOptional(catchUpDoc)
  @IsOptional() @Allow()
  catchUp?: unknown;

  @ApiPropertyOptional(groupByDoc)
  @IsOptional() @Allow()
  groupBy?: unknown;
}

@ApiExtraModels(ApprovalActionInput, ApprovalStepInput)
@ApiSchema({
  name: 'UpdateWorkflowDto',
  description: 'The parts of a definition to change. A definition keeps its template, so the body names none: what each part may hold is '
    + "what the definition's template takes in its Create…Workflow schema (steps and catchUp only on a collection-sequence, "
    + 'to: "customer" only on a customer template, the approval action only on invoice-approval and bill-approval).',
})
export class UpdateWorkflowDto {
  // Not in the document: it cannot change, and is accepted here only to be refused with a clear message.
  @ApiHideProperty()
  @IsOptional() @Allow()
  templateKey?: unknown;

  @ApiPropertyOptional({ type: String, nullable: true, minLength: 1, maxLength: 200, example: 'Due in five days', description: 'Omitted or null: unchanged' })
  @IsOptional() @Allow()
  name?: unknown;

  @ApiPropertyOptional({ ...conditionsDoc, nullable: true, description: `${conditionsDoc.description} Null: unchanged.` })
  @IsOptional() @Allow()
  conditions?: unknown;

  @ApiPropertyOptional({ ...actionsDoc, nullable: true, description: `${actionsDoc.description} Null: unchanged.` })
  @IsOptional() @Allow()
  actions?: unknown;

  @ApiPropertyOptional({ ...scheduleDoc, example: { time: '08:30' } })
  @IsOptional() @Allow()
  schedule?: unknown;

  @ApiPropertyOptional(stepsDoc)
  @IsOptional() @Allow()
  steps?: unknown;

  @ApiPropertyOptional(catchUpDoc)
  @IsOptional() @Allow()
  catchUp?: unknown;

  @ApiPropertyOptional(groupByDoc)
  @IsOptional() @Allow()
  groupBy?: unknown;
}

export class ListWorkflowsQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ enum: TEMPLATE_KEYS, description: 'Only definitions of this template' })
  @IsOptional() @IsString() @MaxLength(100)
  templateKey?: string;

  @ApiPropertyOptional({ type: String, pattern: '^(draft|active|inactive)(,(draft|active|inactive))*$', example: 'active,draft', description: 'Comma-separated statuses: draft, active, inactive' })
  @IsOptional() @IsString() @MaxLength(100)
  status?: string;
}

export class PreviewQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100, default: 20, description: 'How many matching records to render' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be an integer from 1 to 100' })
  @Min(1, { message: 'limit must be an integer from 1 to 100' })
  @Max(100, { message: 'limit must be an integer from 1 to 100' })
  limit?: number;
}

import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { DefinitionStatus, WorkflowDefinition, WorkflowDefinitionVersion } from '../../db/entities';
import { SUPPORTED_LOCALES } from '../../domain/locales';
import { TEMPLATE_KEYS } from '../../domain/templates';
import { canonicalTimezone, dateTime, nullable, text, uuid } from '../common/api-docs';

@ApiSchema({ name: 'Workflow' })
export class WorkflowView {
  @ApiProperty(uuid) id!: string;
  @ApiProperty(uuid) companyId!: string;
  @ApiProperty({ enum: TEMPLATE_KEYS, example: 'payment-due-reminder' }) templateKey!: string;
  @ApiProperty({ ...text, example: 'Due in three days' }) name!: string;
  @ApiProperty({ enum: ['draft', 'active', 'inactive'] }) status!: DefinitionStatus;
  @ApiProperty({ type: 'array', items: { type: 'object', additionalProperties: true }, description: '{ field, op, value }, all of which must hold' }) conditions!: unknown[];
  @ApiProperty({ type: 'array', items: { type: 'object', additionalProperties: true }, description: 'What a run does for each match (see POST /v1/workflows)' }) actions!: unknown[];
  @ApiProperty({
    type: 'object', nullable: true, properties: { time: { type: 'string', pattern: '^([01]\\d|2[0-3]):[0-5]\\d$' } },
    description: 'Scheduled templates: the daily time in the company timezone; null for event and approval ones',
  })
  schedule!: { time: string } | null;
  @ApiProperty({ enum: SUPPORTED_LOCALES }) locale!: string;
  @ApiProperty({
    type: 'integer', minimum: 1, example: 1,
    description: 'The current version (GET /v1/workflows/{id}/versions). A saved change of an approval definition that is or was active makes the next '
      + 'one, and a run keeps the version it started with; a draft, and the other templates, are changed in place.',
  })
  version!: number;
  @ApiProperty({ ...nullable(uuid), description: 'null for the definitions Relance creates itself' }) createdBy!: string | null;
  @ApiProperty(dateTime) createdAt!: string;
  @ApiProperty(dateTime) updatedAt!: string;
}

export function toWorkflowView(d: WorkflowDefinition): WorkflowView {
  return {
    id: d.id, companyId: d.companyId, templateKey: d.templateKey, name: d.name, status: d.status, version: d.version,
    conditions: d.conditions, actions: d.actions, schedule: d.schedule, locale: d.locale, createdBy: d.createdBy,
    ...(d.sequence ? { steps: d.sequence.steps, catchUp: d.sequence.catchUp, groupBy: d.sequence.groupBy ?? null } : {}),
    createdAt: d.createdAt.toISOString(), updatedAt: d.updatedAt.toISOString(),
  };
}

/** `GET /v1/workflows/:id/versions`: one version of a definition, with its content as saved. */
@ApiSchema({ name: 'WorkflowVersion' })
export class WorkflowVersionView {
  @ApiProperty(uuid) definitionId!: string;
  @ApiProperty({ type: 'integer', minimum: 1, example: 2 }) version!: number;
  @ApiProperty({ ...text, example: 'Large invoices' }) name!: string;
  @ApiProperty({ type: 'array', items: { type: 'object', additionalProperties: true }, description: 'As the definition\'s conditions were in this version' }) conditions!: unknown[];
  @ApiProperty({ type: 'array', items: { type: 'object', additionalProperties: true }, description: 'As the definition\'s actions were in this version (approvers, steps, ...)' }) actions!: unknown[];
  @ApiProperty({ ...nullable(uuid), description: 'Who saved the change that made this version; null for the definitions Relance creates itself' }) createdBy!: string | null;
  @ApiProperty(dateTime) createdAt!: string;
}

export function toWorkflowVersionView(v: WorkflowDefinitionVersion): WorkflowVersionView {
  return {
    definitionId: v.definitionId, version: v.version, name: v.name, conditions: v.conditions, actions: v.actions,
    createdBy: v.createdBy, createdAt: v.createdAt.toISOString(),
  };
}

class PreviewMessageView {
  @ApiProperty({ type: 'integer', description: 'Index of the action in the definition' }) action!: number;
  @ApiProperty({ ...text, example: 'email' }) type!: string;
  @ApiProperty({ type: [String] }) recipients!: string[];
  @ApiProperty({ ...text, required: false }) subject?: string;
  @ApiProperty({ ...text, required: false }) title?: string;
  @ApiProperty({ ...text, required: false }) body?: string;
  @ApiProperty({ ...text, required: false }) html?: string;
  @ApiProperty({ ...text, required: false }) text?: string;
}

class PreviewMatchView {
  @ApiProperty({ ...text, example: 'invoice' }) recordType!: string;
  @ApiProperty(uuid) recordId!: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'A summary of the record (number, amount, dates, ...)' }) record!: object;
  @ApiProperty({ type: [PreviewMessageView] }) messages!: PreviewMessageView[];
  @ApiPropertyOptional({
    type: 'object',
    properties: {
      number: { type: 'integer', minimum: 1 }, offsetDays: { type: 'integer' }, day: { type: 'string', format: 'date' },
      lastSent: { type: 'integer', minimum: 0, description: 'the step last sent to the invoice, 0: none' },
    },
    description: 'collection-sequence only: the step that goes out today (1 for the first) and its day',
  })
  step?: { number: number; offsetDays: number; day: string; lastSent: number };
}

class PreviewStatementView {
  @ApiProperty(uuid) customerId!: string;
  @ApiProperty({ type: [String], format: 'uuid', description: 'The invoices it lists (those of this preview), oldest due first' }) invoiceIds!: string[];
  @ApiProperty({ type: 'integer', minimum: 1, description: "The step whose texts it takes: the furthest step due among its invoices" }) step!: number;
  @ApiProperty({ type: [PreviewMessageView], description: 'The statement email (its PDF lists the same invoices), and the task of the step if it has one' })
  messages!: PreviewMessageView[];
}

/** `POST /v1/workflows/:id/preview` and `POST /v1/workflows/preview` (a draft): what a run would do now; nothing is sent. */
@ApiSchema({ name: 'WorkflowPreview' })
export class WorkflowPreviewView {
  @ApiProperty({ ...nullable(uuid), description: 'null for a draft not saved yet (POST /v1/workflows/preview)' }) definitionId!: string | null;
  @ApiProperty({ enum: TEMPLATE_KEYS }) templateKey!: string;
  @ApiProperty({ enum: ['draft', 'active', 'inactive'] }) status!: string;
  @ApiProperty(dateTime) evaluatedAt!: string;
  @ApiProperty(canonicalTimezone) timezone!: string;
  @ApiProperty({ type: String, format: 'date', example: '2026-11-28' }) today!: string;
  @ApiProperty({ type: [PreviewMatchView] }) matches!: PreviewMatchView[];
  @ApiProperty({ type: Boolean, description: 'true when more records match than listed' }) hasMore!: boolean;
  @ApiProperty({ type: [PreviewMessageView], description: 'Every message rendered with sample values' }) sample!: PreviewMessageView[];
  @ApiPropertyOptional({
    type: [PreviewStatementView],
    description: 'collection-sequence grouped by customer only: one statement per customer of the matches listed (their own messages are then empty)',
  })
  statements?: PreviewStatementView[];
}

import type { OpenAPIObject } from '@nestjs/swagger';
import { CATCH_UP_POLICIES } from '../../domain/collection-sequence';
import { GROUP_BY } from '../../domain/statements';
import { CONDITION_FIELDS, CONDITION_OPS, ConditionOp } from '../../domain/conditions';
import { SUPPORTED_LOCALES } from '../../domain/locales';
import { ActionType, WORKFLOW_TEMPLATES, WorkflowTemplate } from '../../domain/templates';

/**
 * The workflow definition's schemas, one per template, generated from the template catalogue so that each states what
 * its template takes: its condition fields and their operators, its action types (an email `to: "customer"` only on a
 * customer template, the approval action only on invoice-approval and bill-approval), a schedule only when scheduled, steps and
 * catchUp only on a collection sequence. `CreateWorkflowDto` (the POST body) and `Workflow` (the answer) become unions
 * of them, discriminated by `templateKey`, which generated clients type per template.
 * The PATCH body (`UpdateWorkflowDto`) stays one schema: it carries no templateKey (a definition keeps its template),
 * so nothing in it could say which member applies; the rules of the definition's template apply to it.
 */

type Schema = Record<string, unknown>;
const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const uuid = { type: 'string', format: 'uuid' };
const uuids = (description: string): Schema => ({ type: 'array', items: uuid, maxItems: 100, description });
const message = (maxLength: number, description: string): Schema => ({ type: 'string', maxLength, description });
/** A text that must not be blank when given. */
const filled = (maxLength: number, description: string): Schema => ({ ...message(maxLength, description), pattern: '\\S' });
const SUBJECT = 300;
const BODY = 20_000;

/** `payment-due-reminder` -> `PaymentDueReminder`. */
export function pascalCase(key: string): string {
  return key.split('-').map((w) => w[0].toUpperCase() + w.slice(1)).join('');
}

const DEFAULTED = "Omitted: the template's default in the company locale. Handlebars over the template's variables.";

/** The action schemas, by name; the approval action is Nest's `ApprovalActionInput` (its DTO class). */
const ACTION_SCHEMAS: Record<string, Schema> = {
  EmailRecipients: {
    type: 'object', additionalProperties: false, description: 'Team members and/or addresses',
    properties: {
      userIds: uuids('users of the company'),
      emails: { type: 'array', maxItems: 100, items: { type: 'string', format: 'email', maxLength: 254 }, description: 'email addresses' },
    },
  },
  CustomerEmailActionInput: {
    type: 'object', additionalProperties: false, required: ['type'],
    description: 'An email to the record\'s customer ("customer", the default) or to team members and addresses',
    properties: {
      type: { type: 'string', enum: ['email'] },
      to: { oneOf: [{ type: 'string', enum: ['customer'] }, ref('EmailRecipients')], default: 'customer' },
      subject: filled(SUBJECT, DEFAULTED), body: filled(BODY, DEFAULTED),
    },
  },
  TeamEmailActionInput: {
    type: 'object', additionalProperties: false, required: ['type'],
    description: 'An email to team members and addresses (a team template has no customer to write to)',
    properties: { type: { type: 'string', enum: ['email'] }, to: ref('EmailRecipients'), subject: filled(SUBJECT, DEFAULTED), body: filled(BODY, DEFAULTED) },
  },
  PushActionInput: {
    type: 'object', additionalProperties: false, required: ['type'], description: 'An in-app notification to each user (and the company\'s signed webhook)',
    properties: { type: { type: 'string', enum: ['push'] }, userIds: uuids('who is notified'), title: filled(SUBJECT, DEFAULTED), body: message(BODY, DEFAULTED) },
  },
  TaskActionInput: {
    type: 'object', additionalProperties: false, required: ['type'], description: 'A task for a user, or for an approver group\'s members to claim',
    properties: {
      type: { type: 'string', enum: ['task'] },
      assigneeId: { ...uuid, nullable: true, description: 'who does it; null: nobody (an active definition needs it or candidateGroupId)' },
      candidateGroupId: { ...uuid, nullable: true, description: 'an approver group of the company whose members claim the task; beside or instead of assigneeId' },
      title: filled(SUBJECT, DEFAULTED), description: message(BODY, 'Handlebars over the template\'s variables; omitted: none'),
    },
  },
  MemoActionInput: {
    type: 'object', additionalProperties: false, required: ['type'], description: 'Sets the record\'s memo to the customer',
    properties: { type: { type: 'string', enum: ['memo'] }, text: filled(2000, 'Handlebars; required unless the template has a default memo') },
  },
  StampActionInput: {
    type: 'object', additionalProperties: false, required: ['type'], description: 'Stamps the record (e.g. OVERDUE)',
    properties: { type: { type: 'string', enum: ['stamp'] }, text: filled(100, 'Handlebars; required unless the template has a default stamp') },
  },
  SendActionInput: {
    type: 'object', additionalProperties: false, required: ['type'], description: 'Sends the invoice to its customer and marks it sent',
    properties: { type: { type: 'string', enum: ['send'] }, subject: filled(SUBJECT, DEFAULTED), body: filled(BODY, DEFAULTED) },
  },
  CollectionStepInput: {
    type: 'object', additionalProperties: false, required: ['offsetDays', 'subject', 'body'],
    description: 'One step of a collection sequence; each invoice gets each step at most once, in order',
    properties: {
      offsetDays: { type: 'integer', minimum: -365, maximum: 365, description: 'days from the due date, negative before it, strictly increasing' },
      subject: filled(SUBJECT, 'Handlebars'), body: filled(BODY, 'Handlebars'),
      attachInvoicePdf: { type: 'boolean', default: false },
      task: {
        type: 'object', additionalProperties: false, required: ['title'], nullable: true,
        description: 'a task with the step, for assigneeId or for the members of candidateGroupId to claim (one of the two is required)',
        properties: {
          assigneeId: uuid, candidateGroupId: { ...uuid, description: 'an approver group of the company' },
          title: filled(SUBJECT, 'Handlebars'), description: message(BODY, 'Handlebars'),
        },
      },
    },
  },
};

function actionSchemaName(template: WorkflowTemplate, type: ActionType): string {
  if (type === 'approval') return 'ApprovalActionInput';
  if (type === 'email') return template.audience === 'customer' ? 'CustomerEmailActionInput' : 'TeamEmailActionInput';
  return `${pascalCase(type)}ActionInput`;
}

function actionsOf(template: WorkflowTemplate): Schema {
  if (template.actionTypes.length === 0) {
    return { type: 'array', maxItems: 0, items: { type: 'object' }, description: 'A collection sequence acts through its steps: no actions' };
  }
  const names = template.actionTypes.map((type) => actionSchemaName(template, type));
  return {
    type: 'array', maxItems: 20, description: `What a run does for each match: ${template.actionTypes.join(', ')}. Omitted: the template's defaults.`,
    items: {
      oneOf: names.map(ref),
      discriminator: { propertyName: 'type', mapping: Object.fromEntries(template.actionTypes.map((type, i) => [type, ref(names[i]).$ref])) },
    },
  };
}

function conditionSchema(template: WorkflowTemplate): Schema {
  const fields = CONDITION_FIELDS[template.recordType];
  const ops = CONDITION_OPS.filter((op) => template.conditionFields.some((f) => fields[f].ops.includes(op as ConditionOp)));
  return {
    type: 'object', additionalProperties: false, required: ['field', 'op', 'value'],
    description: `A condition on the ${template.recordType}: each field takes its own operators (see GET /v1/workflow-templates); `
      + 'money values are decimal strings, day counts whole numbers, in and not_in take a list',
    properties: {
      field: { type: 'string', enum: [...template.conditionFields] },
      op: { type: 'string', enum: ops },
      value: { description: 'a decimal string, a date, an id, a text, a boolean, a whole number of days, or a list of them' },
    },
  };
}

const scheduled = (template: WorkflowTemplate) => template.trigger === 'schedule';

function scheduleOf(template: WorkflowTemplate, answer: boolean): Schema | undefined {
  if (scheduled(template)) {
    return answer
      ? { allOf: [ref('ScheduleInput')], description: 'The daily time in the company timezone' }
      : { nullable: true, allOf: [ref('ScheduleInput')], description: 'The daily time HH:MM in the company timezone; omitted or null: the template\'s (09:00)' };
  }
  return answer ? { nullable: true, allOf: [ref('ScheduleInput')], description: `Always null: runs on ${template.trigger === 'event' ? 'each recorded event' : `each ${template.recordType} saved`}` } : undefined;
}

function createSchema(template: WorkflowTemplate): Schema {
  const properties: Record<string, Schema> = {
    templateKey: { type: 'string', enum: [template.key] },
    name: { type: 'string', minLength: 1, maxLength: 200, description: "Omitted: the template's default name in the company locale" },
    conditions: { type: 'array', maxItems: 50, items: ref(`${pascalCase(template.key)}Condition`), description: "All must hold. Omitted: the template's defaults." },
    actions: actionsOf(template),
    activate: { type: 'boolean', default: false, description: '"Save and activate": create the definition active instead of draft' },
  };
  const schedule = scheduleOf(template, false);
  if (schedule) properties.schedule = schedule;
  if (template.key === 'collection-sequence') Object.assign(properties, sequenceInput());
  return {
    type: 'object', additionalProperties: false, required: ['templateKey'], properties,
    description: `A ${template.key} definition: ${template.description['en-US']}`,
  };
}

function sequenceInput(): Record<string, Schema> {
  return {
    steps: {
      type: 'array', minItems: 1, maxItems: 20, items: ref('CollectionStepInput'),
      description: "Ordered steps, offsetDays strictly increasing. Omitted: the template's three steps (-3, +1, +7) in the company locale.",
    },
    catchUp: {
      type: 'string', enum: [...CATCH_UP_POLICIES], default: 'latest',
      description: 'For steps whose day passed unsent: latest sends only the latest of them, none only those falling on the day of the run, all each in order, one per day.',
    },
    groupBy: {
      type: 'string', enum: [...GROUP_BY], nullable: true, default: null,
      description: '"customer": one statement email per customer and run, listing each of its invoices that has a step due, with a statement PDF '
        + "(a step's attachInvoicePdf is not used) and the texts of the furthest step due among them; "
        + 'the texts of each step take the statement variables (customerName, invoiceCount, invoiceList, totalBalance, oldestDueDate, daysOverdue). '
        + "Omitted with it: statement steps on the template's days. null: one email per invoice.",
    },
  };
}

function answerSchema(template: WorkflowTemplate): Schema {
  const properties: Record<string, Schema> = {
    id: uuid, companyId: uuid,
    templateKey: { type: 'string', enum: [template.key] },
    name: { type: 'string' },
    status: { type: 'string', enum: ['draft', 'active', 'inactive'] },
    conditions: { type: 'array', items: ref(`${pascalCase(template.key)}Condition`), description: 'All of which must hold' },
    actions: { ...actionsOf(template), description: 'What a run does for each match' },
    schedule: scheduleOf(template, true)!,
    locale: { type: 'string', enum: [...SUPPORTED_LOCALES] },
    createdBy: { ...uuid, nullable: true, description: 'null for the definitions Relance creates itself' },
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
  };
  if (template.key === 'collection-sequence') Object.assign(properties, sequenceInput());
  return { type: 'object', required: Object.keys(properties), properties, description: `A ${template.key} definition` };
}

/**
 * Adds the per-template schemas and makes `CreateWorkflowDto` and `Workflow` their unions. Runs on Nest's document,
 * after `documentSharedErrors` (which would otherwise close the union to every property).
 */
export function documentWorkflowUnions(document: OpenAPIObject): OpenAPIObject {
  const schemas = (document.components ??= {}).schemas ??= {};
  Object.assign(schemas, ACTION_SCHEMAS);
  const union = (name: (key: string) => string, description: string): Schema => ({
    description,
    oneOf: WORKFLOW_TEMPLATES.map((t) => ref(name(t.key))),
    discriminator: { propertyName: 'templateKey', mapping: Object.fromEntries(WORKFLOW_TEMPLATES.map((t) => [t.key, ref(name(t.key)).$ref])) },
  });
  for (const template of WORKFLOW_TEMPLATES) {
    const name = pascalCase(template.key);
    schemas[`${name}Condition`] = conditionSchema(template);
    schemas[`Create${name}Workflow`] = createSchema(template);
    schemas[`${name}Workflow`] = answerSchema(template);
  }
  schemas.CreateWorkflowDto = union((k) => `Create${pascalCase(k)}Workflow`,
    'A definition of one template (templateKey): what each template takes is its own schema. Omitted parts take the template\'s defaults in the company locale.');
  schemas.Workflow = union((k) => `${pascalCase(k)}Workflow`, 'A workflow definition, of the template templateKey names');
  return document;
}

import type { Schemas } from '../../api/client';
import { conditionValue, type ConditionRow } from './conditions';
import type { ActionValue, Template } from './data';

/** What POST /v1/workflows takes: one schema per template, told apart by templateKey. */
export type CreateBody = Schemas['CreateWorkflowDto'];
export type TemplateKey = CreateBody['templateKey'];
export type CreateFor<K extends TemplateKey> = Extract<CreateBody, { templateKey: K }>;
type ConditionFor<K extends TemplateKey> = NonNullable<CreateFor<K>['conditions']>[number];
type ActionFor<K extends TemplateKey> = NonNullable<CreateFor<K>['actions']>[number];
/** What PATCH /v1/workflows/{id} takes: the same parts, the template kept. */
export type UpdateBody = Schemas['UpdateWorkflowDto'];

export interface SequenceStep {
  offsetDays: string;
  subject: string;
  body: string;
  attachInvoicePdf: boolean;
  /** What the editor does not show (a step's task) goes back as it came. */
  task?: Schemas['CollectionStepInput']['task'];
}

export interface Draft {
  name: string;
  conditions: ConditionRow[];
  /** Every action type of the template, with its options, kept while unchecked. */
  actions: Record<string, ActionValue>;
  enabled: string[];
  time: string;
  steps: SequenceStep[];
}

/**
 * The catalogue (GET /v1/workflow-templates) and the body's schema describe the same template: a field the catalogue
 * lists for it, with one of that field's operators, is one its schema takes.
 */
function listed<K extends TemplateKey>(template: Template, row: ConditionRow): row is ConditionRow & Pick<ConditionFor<K>, 'field' | 'op'> {
  return template.conditionFields.some((spec) => spec.field === row.field && spec.ops.includes(row.op));
}

/** The editor offers only the catalogue's fields and operators, so no row is left out in use. */
function conditionsFor<K extends TemplateKey>(template: Template, rows: ConditionRow[]): Pick<ConditionFor<K>, 'field' | 'op' | 'value'>[] {
  return rows.flatMap((row) => {
    if (!listed<K>(template, row)) return [];
    const spec = template.conditionFields.find((f) => f.field === row.field);
    return [{ field: row.field, op: row.op, value: conditionValue(row, spec) }];
  });
}

/** Each action type the template allows, mapped to what builds it from the draft's options. */
type Builders<A> = Partial<Record<string, (action: ActionValue) => A>>;

function actionsFor<A>(template: Template, draft: Draft, builders: Builders<A>): A[] {
  return template.actionTypes.filter((type) => draft.enabled.includes(type)).flatMap((type) => {
    const build = builders[type];
    return build ? [build(draft.actions[type])] : [];
  });
}

/** The parts every template's body has: its key, name, conditions and actions. */
function common<K extends TemplateKey>(key: K, template: Template, draft: Draft, builders: Builders<ActionFor<K>>) {
  return { templateKey: key, name: draft.name, conditions: conditionsFor<K>(template, draft.conditions), actions: actionsFor(template, draft, builders) };
}

// The draft's options are loose (edited in place by the screens); each read below checks the type it takes.
const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
const count = (value: unknown) => (typeof value === 'number' ? value : undefined);
const ids = (value: unknown) => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);
const list = (value: unknown) => (Array.isArray(value) ? value : []);
const objectOf = (value: unknown): object => (typeof value === 'object' && value !== null ? value : {});

/** Team members and addresses: the addresses from their text, separated by commas. */
function recipients(action: ActionValue): Schemas['EmailRecipients'] {
  const to = objectOf(action.to);
  const emails = String(action.emailsText ?? '').split(',').map((e) => e.trim()).filter(Boolean);
  return { userIds: ids('userIds' in to ? to.userIds : undefined), emails };
}

const teamEmail = (a: ActionValue): Schemas['TeamEmailActionInput'] => ({ type: 'email', to: recipients(a), subject: text(a.subject), body: text(a.body) });
const customerEmail = (a: ActionValue): Schemas['CustomerEmailActionInput'] => ({
  type: 'email', to: a.to === 'customer' ? 'customer' : recipients(a), subject: text(a.subject), body: text(a.body),
});
const push = (a: ActionValue): Schemas['PushActionInput'] => ({ type: 'push', userIds: ids(a.userIds), title: text(a.title), body: text(a.body) });
const task = (a: ActionValue): Schemas['TaskActionInput'] => ({
  type: 'task', assigneeId: text(a.assigneeId) ?? null, title: text(a.title), description: text(a.description),
});
const memo = (a: ActionValue): Schemas['MemoActionInput'] => ({ type: 'memo', text: text(a.text) });
const stamp = (a: ActionValue): Schemas['StampActionInput'] => ({ type: 'stamp', text: text(a.text) });
const send = (a: ActionValue): Schemas['SendActionInput'] => ({ type: 'send', subject: text(a.subject), body: text(a.body) });
const approval = (a: ActionValue): Schemas['ApprovalActionInput'] => {
  const notify = objectOf(a.notify);
  return {
    type: 'approval',
    steps: list(a.steps).map((step) => {
      const s = objectOf(step);
      return {
        approverIds: ids('approverIds' in s ? s.approverIds : undefined),
        required: count('required' in s ? s.required : undefined),
        escalateAfterDays: count('escalateAfterDays' in s ? s.escalateAfterDays : undefined),
        escalateToId: text('escalateToId' in s ? s.escalateToId : undefined),
      };
    }),
    notify: { userIds: ids('userIds' in notify ? notify.userIds : undefined) },
    timeoutDays: count(a.timeoutDays), reminderDaysBefore: count(a.reminderDaysBefore), allowAdmins: a.allowAdmins === true,
    subject: text(a.subject), body: text(a.body),
  };
};

/**
 * The draft as POST /v1/workflows (and the preview) take it for its template: the compiler checks each template's
 * parts (a schedule only on scheduled templates, steps only on a collection sequence, an email to the customer only
 * on customer templates).
 */
export function createBody(template: Template, draft: Draft): CreateBody {
  const schedule = { time: draft.time };
  switch (template.key) {
    case 'send-unsent-invoices':
      return { ...common(template.key, template, draft, { send, email: customerEmail, push, task }), schedule };
    case 'payment-received':
      return common(template.key, template, draft, { email: customerEmail, push, task });
    case 'payment-due-reminder':
      return { ...common(template.key, template, draft, { email: customerEmail, push, task, memo, stamp }), schedule };
    case 'overdue-invoice-stamp':
      return { ...common(template.key, template, draft, { stamp, memo, email: customerEmail, push, task }), schedule };
    case 'invoice-approval':
      return common(template.key, template, draft, { approval, email: teamEmail, push });
    case 'bill-approval':
      return common(template.key, template, draft, { approval, email: teamEmail, push });
    case 'unsent-invoice-reminder':
      return { ...common(template.key, template, draft, { email: teamEmail, push, task }), schedule };
    case 'bill-payment-reminder':
      return { ...common(template.key, template, draft, { email: teamEmail, push, task }), schedule };
    case 'bank-deposit-reminder':
      return { ...common(template.key, template, draft, { email: teamEmail, push, task }), schedule };
    case 'collection-sequence':
      return {
        ...common(template.key, template, draft, {}),
        schedule,
        steps: draft.steps.map((s) => ({
          offsetDays: Number(s.offsetDays.trim()),
          subject: s.subject, body: s.body, attachInvoicePdf: s.attachInvoicePdf, ...(s.task ? { task: s.task } : {}),
        })),
      };
  }
}

/** The same draft as PATCH /v1/workflows/{id} takes it: a definition keeps its template. */
export function updateBody(body: CreateBody): UpdateBody {
  if (body.templateKey === 'collection-sequence') {
    const { templateKey: _key, activate: _activate, steps, ...parts } = body;
    // PATCH's step takes no null task (POST's does); a step without one omits it.
    return { ...parts, steps: steps?.map(({ task, ...step }) => ({ ...step, ...(task ? { task } : {}) })) };
  }
  const { templateKey: _key, activate: _activate, ...parts } = body;
  return parts;
}

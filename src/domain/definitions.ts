import { Condition, ConditionError, validateConditions } from './conditions';
import { checkMessageTemplate, MessageTemplateError } from './messages';
import { ActionType, APPROVAL_TEMPLATE_KEYS, catalogueLocale, TemplateKey, templateVariableNames, WorkflowTemplate } from './templates';
import { isUuid } from './ids';
import { dottedPath } from './errors';
import { CATCH_UP_POLICIES, type CatchUp, type Sequence, type SequenceStep } from './collection-sequence';
import { GROUP_BY, type GroupBy, STATEMENT_VARIABLE_NAMES, statementDefaultSteps } from './statements';

/**
 * A workflow definition is a template filled in: name, conditions, actions, schedule. Omitted parts take the
 * template's defaults in the company's locale; everything given is checked, and message texts are compiled
 * against the template's variables, so a saved definition always renders.
 */

const TOP_LEVEL = ['name', 'conditions', 'actions', 'schedule', 'steps', 'catchUp', 'groupBy'];
const LEADING_PATH = /^[A-Za-z]\w*(?:\[\d+\]|\.[A-Za-z]\w*)*/;

/** The path a message starts with (`actions[0].to: ...`, `name must ...`), dotted; undefined when it starts with none. */
function pathOf(message: string): string | undefined {
  const path = LEADING_PATH.exec(message)?.[0];
  return path && TOP_LEVEL.includes(path.split(/[.[]/)[0]) ? dottedPath(path) : undefined;
}

/** Each message starts with the path of the part it concerns; `field` is that path, dotted (`actions.0.to`). */
export class DefinitionError extends Error {
  constructor(message: string, readonly field: string | undefined = pathOf(message)) {
    super(message);
    this.name = 'DefinitionError';
  }
}

export interface UserRecipients {
  userIds: string[];
  emails: string[];
}

export interface EmailAction {
  type: 'email';
  /** `"customer"` (customer templates only) or team members and/or addresses. */
  to: 'customer' | UserRecipients;
  subject: string;
  body: string;
}

/** An in-app notification to each user (and the company's signed webhook, when it has one). */
export interface PushAction {
  type: 'push';
  userIds: string[];
  title: string;
  body: string;
}

/** A task for its assignee, or else for its candidate group's members to claim; an active definition needs one of the two. */
export interface TaskAction {
  type: 'task';
  assigneeId: string | null;
  candidateGroupId?: string;
  title: string;
  description: string;
}

export interface MemoAction {
  type: 'memo';
  text: string;
}

export interface StampAction {
  type: 'stamp';
  text: string;
}

/** Sends the invoice to its customer (email with `subject`/`body`) and marks it sent. */
export interface SendAction {
  type: 'send';
  subject: string;
  body: string;
}

export interface ApprovalStep {
  /** Named approvers; may be empty when the step names groups. */
  approverIds: string[];
  /** Approver groups whose members, as the group stands when the step opens, hold a seat each. */
  groupIds?: string[];
  /** `limit`: only those whose approval limit covers the amount hold a seat; with none, the step goes to `escalateToId`. */
  routing?: 'limit';
  /** Distinct approvals the step needs (default 1); one rejection rejects. */
  required?: number;
  /** With no decision after this many days, `escalateToId` joins the step's approvers. */
  escalateAfterDays?: number;
  escalateToId?: string;
}

const STEP_RULE_KEYS = ['groupIds', 'routing', 'required', 'escalateAfterDays', 'escalateToId'] as const;
const MAX_STEP_GROUPS = 20;
/** The most seats a step may need; with groups, whether enough members hold one is known when the step opens. */
const MAX_REQUIRED = 100;

/** A step's groups, routing, quorum and escalation, read from `raw` (a step, or the action for its one-step form). */
function stepRules(raw: Record<string, unknown>, approverIds: string[], at: string): Omit<ApprovalStep, 'approverIds'> {
  const rules: Omit<ApprovalStep, 'approverIds'> = {};
  if (raw.groupIds !== undefined) {
    const groupIds = idList(raw.groupIds, `${at}.groupIds`, 'group');
    if (groupIds.length > MAX_STEP_GROUPS) throw new DefinitionError(`${at}.groupIds may hold at most ${MAX_STEP_GROUPS} groups`);
    if (groupIds.length > 0) rules.groupIds = groupIds;
  }
  if (raw.routing !== undefined) {
    if (raw.routing !== 'limit') throw new DefinitionError(`${at}.routing must be "limit" (those whose approval limit covers the amount), not ${show(raw.routing)}`);
    rules.routing = 'limit';
  }
  if (raw.required !== undefined) {
    const most = rules.groupIds ? MAX_REQUIRED : Math.max(1, approverIds.length);
    rules.required = integer(raw.required, `${at}.required`, 1, most, 1);
  }
  if ((raw.escalateAfterDays === undefined) !== (raw.escalateToId === undefined)) {
    throw new DefinitionError(`${at}: escalateAfterDays and escalateToId go together (after that many days without a decision, that user joins the approvers)`);
  }
  if (raw.escalateToId !== undefined) {
    rules.escalateAfterDays = integer(raw.escalateAfterDays, `${at}.escalateAfterDays`, 1, 364, 1);
    if (!isUuid(raw.escalateToId)) throw new DefinitionError(`${at}.escalateToId: ${show(raw.escalateToId)} is not a user id`);
    rules.escalateToId = (raw.escalateToId as string).toLowerCase();
    if (approverIds.includes(rules.escalateToId)) throw new DefinitionError(`${at}.escalateToId is already an approver of the step`);
  }
  return rules;
}

export interface ApprovalAction {
  type: 'approval';
  /** Sequential steps; any one approver of a step decides it. `approverIds` on input is one step. */
  steps: ApprovalStep[];
  /** Told when the invoice is submitted and when it is decided. */
  notify: { userIds: string[] };
  timeoutDays: number;
  /** Days before the deadline the pending approvers are reminded; 0 sends no reminder. */
  reminderDaysBefore: number;
  /** Admins may decide in place of the listed approvers. */
  allowAdmins: boolean;
  /** The approval request sent to approvers and the people to notify. */
  subject: string;
  body: string;
}

export type Action = EmailAction | PushAction | TaskAction | MemoAction | StampAction | SendAction | ApprovalAction;

export interface DefinitionInput {
  name?: unknown;
  conditions?: unknown;
  actions?: unknown;
  schedule?: unknown;
  /** `collection-sequence` only. */
  steps?: unknown;
  catchUp?: unknown;
  groupBy?: unknown;
}

export interface NormalizedDefinition {
  templateKey: TemplateKey;
  name: string;
  conditions: Condition[];
  actions: Action[];
  /** `{ time: "HH:MM" }` in the company's timezone for scheduled templates; null for event and approval ones. */
  schedule: { time: string } | null;
  /** `collection-sequence` only: its steps and catch-up policy. */
  sequence?: Sequence;
}

// Linear: the domain's labels cannot hold a dot, so there is one way to split it. Lengths are checked before it runs.
const EMAIL_RE = /^[^\s@]+@(?:[^\s.@]+\.)+[^\s.@]+$/;
const MAX_EMAIL = 254;
const TIME_RE = /^([01]\d|2[0-3]):[0-5]\d$/;
const MAX_NAME = 200;
const MAX_SUBJECT = 300;
const MAX_BODY = 20_000;
const MAX_RECIPIENTS = 100;
const MAX_ACTIONS = 20;
const MAX_STEPS = 10;
const MAX_SEQUENCE_STEPS = 20;
const MAX_OFFSET_DAYS = 365;

const show = (value: unknown) => {
  const json = JSON.stringify(value);
  return json === undefined ? String(value) : json.length > 60 ? `${json.slice(0, 57)}...` : json;
};

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function onlyKeys(value: Record<string, unknown>, keys: readonly string[], at: string): void {
  const extra = Object.keys(value).find((k) => !keys.includes(k));
  if (extra) throw new DefinitionError(`${at}: unexpected property "${extra}"; expected ${keys.join(', ')}`);
}

function idList(value: unknown, at: string, what: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new DefinitionError(`${at} must be a list of ${what} ids`);
  if (value.length > MAX_RECIPIENTS) throw new DefinitionError(`${at} may hold at most ${MAX_RECIPIENTS} ids`);
  value.forEach((id, i) => {
    if (!isUuid(id)) throw new DefinitionError(`${at}[${i}]: ${show(id)} is not a ${what} id`);
  });
  return [...new Set((value as string[]).map((id) => id.toLowerCase()))];
}

/** An approver group's id, lowercased; undefined when omitted or null. */
function optionalGroupId(value: unknown, at: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isUuid(value)) throw new DefinitionError(`${at}: ${show(value)} is not a group id`);
  return value.toLowerCase();
}

function integer(value: unknown, at: string, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new DefinitionError(`${at} must be a whole number from ${min} to ${max}, not ${show(value)}`);
  }
  return value;
}

function bool(value: unknown, at: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new DefinitionError(`${at} must be true or false, not ${show(value)}`);
  return value;
}

export interface NormalizeOptions {
  /** The company's locale: omitted parts take the template's defaults in it. */
  locale: string;
}

/** Applies the template's defaults to what the input omits and checks the rest; throws DefinitionError naming the culprit. */
export function normalizeDefinition(template: WorkflowTemplate, input: DefinitionInput, options: NormalizeOptions): NormalizedDefinition {
  const defaults = template.defaults[catalogueLocale(options.locale)];
  const variables = templateVariableNames(template);

  const checked = (allowed: readonly string[]): MessageCheck => (value, at, fallback, max, required = true) => {
    const text = value === undefined ? fallback : value;
    if (typeof text !== 'string') throw new DefinitionError(`${at} must be a string, not ${show(text)}`);
    if (required && text.trim() === '') throw new DefinitionError(`${at} must not be empty`);
    if (text.length > max) throw new DefinitionError(`${at} is longer than ${max} characters`);
    try {
      checkMessageTemplate(text, allowed);
    } catch (err) {
      if (err instanceof MessageTemplateError) throw new DefinitionError(`${at} ${err.message}`);
      throw err;
    }
    return text;
  };
  const message = checked(variables);

  let name = defaults.name;
  if (input.name !== undefined) {
    if (typeof input.name !== 'string') throw new DefinitionError(`name must be a string, not ${show(input.name)}`);
    name = input.name.trim();
    if (name === '') throw new DefinitionError('name must not be empty');
    if (name.length > MAX_NAME) throw new DefinitionError(`name is longer than ${MAX_NAME} characters`);
  }

  let conditions: Condition[];
  try {
    conditions = validateConditions(template.recordType, input.conditions === undefined ? defaults.conditions : input.conditions, { fields: template.conditionFields });
  } catch (err) {
    if (err instanceof ConditionError) throw new DefinitionError(err.message, pathOf(err.message) ?? 'conditions');
    throw err;
  }

  const rawActions = input.actions === undefined ? defaults.actions : input.actions;
  if (!Array.isArray(rawActions)) throw new DefinitionError('actions must be a list of actions');
  if (rawActions.length > MAX_ACTIONS) throw new DefinitionError(`at most ${MAX_ACTIONS} actions`, 'actions');
  const actions = rawActions.map((raw: unknown, i): Action => {
    const at = `actions[${i}]`;
    if (!isObject(raw)) throw new DefinitionError(`${at} must be an object with a "type"`);
    const type = raw.type;
    if (typeof type !== 'string' || !(template.actionTypes as readonly string[]).includes(type)) {
      throw new DefinitionError(`${at}: action type ${show(type)} is not available for template "${template.key}"; expected one of ${template.actionTypes.join(', ')}`);
    }
    const defaultAction = defaults.actions.find((a) => a.type === type);
    const dm = defaults.message;
    switch (type as ActionType) {
      case 'email': {
        onlyKeys(raw, ['type', 'to', 'subject', 'body'], at);
        let to: EmailAction['to'];
        const rawTo = raw.to === undefined ? (template.audience === 'customer' ? 'customer' : { userIds: [] }) : raw.to;
        if (rawTo === 'customer') {
          if (template.audience !== 'customer') {
            throw new DefinitionError(`${at}.to: "customer" is not available for the team template "${template.key}"; use { "userIds": [...] } or { "emails": [...] }`);
          }
          to = 'customer';
        } else if (isObject(rawTo)) {
          onlyKeys(rawTo, ['userIds', 'emails'], `${at}.to`);
          const emails = rawTo.emails === undefined ? [] : rawTo.emails;
          if (!Array.isArray(emails) || emails.length > MAX_RECIPIENTS) throw new DefinitionError(`${at}.to.emails must be a list of at most ${MAX_RECIPIENTS} email addresses`);
          emails.forEach((e, j) => {
            if (typeof e === 'string' && e.length > MAX_EMAIL) throw new DefinitionError(`${at}.to.emails[${j}] is longer than ${MAX_EMAIL} characters`);
            if (typeof e !== 'string' || !EMAIL_RE.test(e)) throw new DefinitionError(`${at}.to.emails[${j}]: ${show(e)} is not an email address`);
          });
          to = { userIds: idList(rawTo.userIds, `${at}.to.userIds`, 'user'), emails: [...new Set(emails as string[])] };
        } else {
          throw new DefinitionError(`${at}.to must be "customer", { "userIds": [...] } or { "emails": [...] }, not ${show(rawTo)}`);
        }
        return { type: 'email', to, subject: message(raw.subject, `${at}.subject`, dm.subject, MAX_SUBJECT), body: message(raw.body, `${at}.body`, dm.body, MAX_BODY) };
      }
      case 'push':
        onlyKeys(raw, ['type', 'userIds', 'title', 'body'], at);
        return {
          type: 'push', userIds: idList(raw.userIds, `${at}.userIds`, 'user'),
          title: message(raw.title, `${at}.title`, dm.subject, MAX_SUBJECT), body: message(raw.body, `${at}.body`, dm.body, MAX_BODY, false),
        };
      case 'task': {
        onlyKeys(raw, ['type', 'assigneeId', 'candidateGroupId', 'title', 'description'], at);
        const assigneeId = raw.assigneeId ?? null;
        if (assigneeId !== null && !isUuid(assigneeId)) {
          throw new DefinitionError(`${at}.assigneeId: ${show(assigneeId)} is not a user id`);
        }
        const candidateGroupId = optionalGroupId(raw.candidateGroupId, `${at}.candidateGroupId`);
        return {
          type: 'task', assigneeId: assigneeId === null ? null : assigneeId.toLowerCase(), ...(candidateGroupId ? { candidateGroupId } : {}),
          title: message(raw.title, `${at}.title`, dm.subject, MAX_SUBJECT), description: message(raw.description, `${at}.description`, '', MAX_BODY, false),
        };
      }
      case 'memo':
      case 'stamp': {
        onlyKeys(raw, ['type', 'text'], at);
        const fallback = typeof defaultAction?.text === 'string' ? defaultAction.text : undefined;
        if (raw.text === undefined && fallback === undefined) throw new DefinitionError(`${at}.text is required for a ${type} action`);
        return { type: type as 'memo' | 'stamp', text: message(raw.text, `${at}.text`, fallback ?? '', type === 'stamp' ? 100 : 2000) };
      }
      case 'send':
        onlyKeys(raw, ['type', 'subject', 'body'], at);
        return { type: 'send', subject: message(raw.subject, `${at}.subject`, dm.subject, MAX_SUBJECT), body: message(raw.body, `${at}.body`, dm.body, MAX_BODY) };
      case 'approval': {
        onlyKeys(raw, ['type', 'approverIds', 'steps', 'notify', 'timeoutDays', 'reminderDaysBefore', 'allowAdmins', 'subject', 'body', ...STEP_RULE_KEYS], at);
        if (raw.approverIds !== undefined && raw.steps !== undefined) {
          throw new DefinitionError(`${at}: give either approverIds (one step) or steps, not both`);
        }
        let steps: ApprovalStep[];
        if (raw.steps !== undefined) {
          if (!Array.isArray(raw.steps) || raw.steps.length === 0 || raw.steps.length > MAX_STEPS) {
            throw new DefinitionError(`${at}.steps must be a list of 1 to ${MAX_STEPS} steps like { "approverIds": [...] }`);
          }
          steps = raw.steps.map((step: unknown, j: number) => {
            if (!isObject(step)) throw new DefinitionError(`${at}.steps[${j}] must be { "approverIds": [...] } and/or { "groupIds": [...] }`);
            onlyKeys(step, ['approverIds', ...STEP_RULE_KEYS], `${at}.steps[${j}]`);
            const approverIds = idList(step.approverIds, `${at}.steps[${j}].approverIds`, 'user');
            return { approverIds, ...stepRules(step, approverIds, `${at}.steps[${j}]`) };
          });
          const misplaced = STEP_RULE_KEYS.find((k) => raw[k] !== undefined);
          if (misplaced) throw new DefinitionError(`${at}.${misplaced}: with steps, give it on each step`);
        } else {
          const approverIds = idList(raw.approverIds, `${at}.approverIds`, 'user');
          steps = [{ approverIds, ...stepRules(raw, approverIds, at) }];
        }
        let notify = { userIds: [] as string[] };
        if (raw.notify !== undefined) {
          if (!isObject(raw.notify)) throw new DefinitionError(`${at}.notify must be { "userIds": [...] }`);
          onlyKeys(raw.notify, ['userIds'], `${at}.notify`);
          notify = { userIds: idList(raw.notify.userIds, `${at}.notify.userIds`, 'user') };
        }
        const timeoutDays = integer(raw.timeoutDays, `${at}.timeoutDays`, 1, 365, 30);
        return {
          type: 'approval', steps, notify, timeoutDays,
          reminderDaysBefore: integer(raw.reminderDaysBefore, `${at}.reminderDaysBefore`, 0, timeoutDays - 1, Math.min(1, timeoutDays - 1)),
          allowAdmins: bool(raw.allowAdmins, `${at}.allowAdmins`, false),
          subject: message(raw.subject, `${at}.subject`, dm.subject, MAX_SUBJECT), body: message(raw.body, `${at}.body`, dm.body, MAX_BODY),
        };
      }
    }
  });
  if (actions.filter((a) => a.type === 'approval').length > 1) throw new DefinitionError('actions: a definition has at most one approval action; use steps for several');

  let schedule: { time: string } | null = null;
  if (template.trigger === 'schedule') {
    const raw = input.schedule === undefined || input.schedule === null ? defaults.schedule : input.schedule;
    if (!isObject(raw)) throw new DefinitionError(`schedule must be { "time": "HH:MM" }, not ${show(raw)}`);
    onlyKeys(raw, ['time'], 'schedule');
    if (typeof raw.time !== 'string' || raw.time.length !== 5 || !TIME_RE.test(raw.time)) throw new DefinitionError(`schedule.time must be HH:MM (24-hour, company timezone), not ${show(raw.time)}`);
    schedule = { time: raw.time };
  } else if (input.schedule !== undefined && input.schedule !== null) {
    throw new DefinitionError(`schedule: template "${template.key}" is not scheduled; it runs on ${template.trigger === 'event' ? 'each recorded event' : `each ${template.recordType} saved`}`);
  }

  if (template.key !== 'collection-sequence') {
    if (input.steps !== undefined) throw new DefinitionError(`steps: only a collection-sequence has steps; "${template.key}" has actions`);
    if (input.catchUp !== undefined) throw new DefinitionError(`catchUp: only a collection-sequence has a catch-up policy`);
    if (input.groupBy !== undefined && input.groupBy !== null) throw new DefinitionError('groupBy: only a collection-sequence groups its emails by customer');
    return { templateKey: template.key, name, conditions, actions, schedule };
  }
  const groupBy = input.groupBy ?? null;
  if (groupBy !== null && !(GROUP_BY as readonly unknown[]).includes(groupBy)) {
    throw new DefinitionError(`groupBy must be "customer" (one statement email per customer and run) or null (one email per invoice), not ${show(groupBy)}`);
  }
  // A statement's texts speak of the customer and its list of invoices, never of one invoice.
  const sequence = groupBy === 'customer'
    ? normalizeSequence(input, statementDefaultSteps(options.locale), checked(STATEMENT_VARIABLE_NAMES))
    : normalizeSequence(input, defaults.steps ?? [], message);
  return { templateKey: template.key, name, conditions, actions, schedule, sequence: { ...sequence, groupBy: groupBy as GroupBy | null } };
}

type MessageCheck = (value: unknown, at: string, fallback: string, max: number, required?: boolean) => string;

function normalizeSequence(input: DefinitionInput, defaultSteps: NonNullable<WorkflowTemplate['defaults']['en-US']['steps']>, message: MessageCheck): Omit<Sequence, 'groupBy'> {
  const catchUp = input.catchUp === undefined ? 'latest' : input.catchUp;
  if (typeof catchUp !== 'string' || !(CATCH_UP_POLICIES as readonly string[]).includes(catchUp)) {
    throw new DefinitionError(`catchUp must be one of ${CATCH_UP_POLICIES.join(', ')}, not ${show(catchUp)}`);
  }
  const raw = input.steps === undefined ? defaultSteps : input.steps;
  if (!Array.isArray(raw) || raw.length === 0 || raw.length > MAX_SEQUENCE_STEPS) {
    throw new DefinitionError(`steps must be a list of 1 to ${MAX_SEQUENCE_STEPS} steps like { "offsetDays": -3, "subject": "...", "body": "..." }`);
  }
  const steps = raw.map((step: unknown, i): SequenceStep => {
    const at = `steps[${i}]`;
    if (!isObject(step)) throw new DefinitionError(`${at} must be an object { offsetDays, subject, body, task?, attachInvoicePdf? }`);
    onlyKeys(step, ['offsetDays', 'subject', 'body', 'task', 'attachInvoicePdf'], at);
    if (step.offsetDays === undefined) throw new DefinitionError(`${at}.offsetDays is required: days from the due date, negative before it`);
    const offsetDays = integer(step.offsetDays, `${at}.offsetDays`, -MAX_OFFSET_DAYS, MAX_OFFSET_DAYS, 0);
    const normalized: SequenceStep = {
      offsetDays,
      subject: message(step.subject, `${at}.subject`, '', MAX_SUBJECT),
      body: message(step.body, `${at}.body`, '', MAX_BODY),
      attachInvoicePdf: bool(step.attachInvoicePdf, `${at}.attachInvoicePdf`, false),
    };
    if (step.task !== undefined && step.task !== null) {
      if (!isObject(step.task)) throw new DefinitionError(`${at}.task must be { "assigneeId" or "candidateGroupId", "title", "description"? }`);
      onlyKeys(step.task, ['assigneeId', 'candidateGroupId', 'title', 'description'], `${at}.task`);
      const assigneeId = step.task.assigneeId ?? null;
      if (assigneeId !== null && !isUuid(assigneeId)) throw new DefinitionError(`${at}.task.assigneeId: ${show(assigneeId)} is not a user id`);
      const candidateGroupId = optionalGroupId(step.task.candidateGroupId, `${at}.task.candidateGroupId`);
      if (assigneeId === null && !candidateGroupId) {
        throw new DefinitionError(`${at}.task needs "assigneeId" or "candidateGroupId": who the task is for, a user or an approver group whose members claim it`);
      }
      normalized.task = {
        ...(assigneeId !== null ? { assigneeId: assigneeId.toLowerCase() } : {}),
        ...(candidateGroupId ? { candidateGroupId } : {}),
        title: message(step.task.title, `${at}.task.title`, '', MAX_SUBJECT),
        description: message(step.task.description, `${at}.task.description`, '', MAX_BODY, false),
      };
    }
    return normalized;
  });
  steps.forEach((step, i) => {
    if (i > 0 && step.offsetDays <= steps[i - 1].offsetDays) {
      throw new DefinitionError(`steps[${i}].offsetDays (${step.offsetDays}) must be after steps[${i - 1}].offsetDays (${steps[i - 1].offsetDays}): steps go in order, one per day at most`);
    }
  });
  return { steps, catchUp: catchUp as CatchUp };
}

/** What keeps a definition from being activated (no action, no recipient, no approver, ...); empty when it can run. */
export function activationProblems(definition: Pick<NormalizedDefinition, 'templateKey' | 'actions'>): string[] {
  const problems: string[] = [];
  if (definition.actions.length === 0 && definition.templateKey !== 'collection-sequence') problems.push('no actions: add at least one action');
  definition.actions.forEach((action, i) => {
    const at = `actions[${i}] (${action.type})`;
    switch (action.type) {
      case 'email':
        if (action.to !== 'customer' && action.to.userIds.length === 0 && action.to.emails.length === 0) {
          problems.push(`${at}: no recipient; set to.userIds or to.emails`);
        }
        break;
      case 'push':
        if (action.userIds.length === 0) problems.push(`${at}: no recipient; set userIds`);
        break;
      case 'task':
        if (!action.assigneeId && !action.candidateGroupId) problems.push(`${at}: no assignee; set assigneeId or candidateGroupId`);
        break;
      case 'approval':
        action.steps.forEach((step, j) => {
          if (step.approverIds.length === 0 && !step.groupIds?.length) {
            const where = action.steps.length > 1 ? `steps[${j}].` : '';
            problems.push(`${at}: step ${j + 1} has no approver; set ${where}approverIds or ${where}groupIds`);
          }
        });
        break;
    }
  });
  if (APPROVAL_TEMPLATE_KEYS.includes(definition.templateKey) && !definition.actions.some((a) => a.type === 'approval')) {
    problems.push(`no approval action: an ${definition.templateKey} definition needs { "type": "approval", "approverIds": [...] }`);
  }
  return problems;
}

/** Every user id the actions reference (recipients, assignees, approvers), to check they belong to the company. */
export function referencedUserIds(actions: readonly Action[], sequence?: Sequence): Array<{ userId: string; path: string }> {
  const refs: Array<{ userId: string; path: string }> = [];
  sequence?.steps.forEach((step, i) => {
    if (step.task?.assigneeId) refs.push({ userId: step.task.assigneeId, path: `steps[${i}].task.assigneeId` });
  });
  actions.forEach((action, i) => {
    const at = `actions[${i}]`;
    switch (action.type) {
      case 'email':
        if (action.to !== 'customer') action.to.userIds.forEach((userId, j) => refs.push({ userId, path: `${at}.to.userIds[${j}]` }));
        break;
      case 'push':
        action.userIds.forEach((userId, j) => refs.push({ userId, path: `${at}.userIds[${j}]` }));
        break;
      case 'task':
        if (action.assigneeId) refs.push({ userId: action.assigneeId, path: `${at}.assigneeId` });
        break;
      case 'approval':
        action.steps.forEach((step, s) => {
          step.approverIds.forEach((userId, j) => refs.push({ userId, path: `${at}.steps[${s}].approverIds[${j}]` }));
          if (step.escalateToId) refs.push({ userId: step.escalateToId, path: `${at}.steps[${s}].escalateToId` });
        });
        action.notify.userIds.forEach((userId, j) => refs.push({ userId, path: `${at}.notify.userIds[${j}]` }));
        break;
    }
  });
  return refs;
}

/** Every approver group the actions name, to check they belong to the company. */
export function referencedGroupIds(actions: readonly Action[], sequence?: Sequence): Array<{ groupId: string; path: string }> {
  const refs: Array<{ groupId: string; path: string }> = [];
  sequence?.steps.forEach((step, i) => {
    if (step.task?.candidateGroupId) refs.push({ groupId: step.task.candidateGroupId, path: `steps[${i}].task.candidateGroupId` });
  });
  actions.forEach((action, i) => {
    if (action.type === 'task' && action.candidateGroupId) refs.push({ groupId: action.candidateGroupId, path: `actions[${i}].candidateGroupId` });
    if (action.type !== 'approval') return;
    action.steps.forEach((step, s) => step.groupIds?.forEach((groupId, j) => refs.push({ groupId, path: `actions[${i}].steps[${s}].groupIds[${j}]` })));
  });
  return refs;
}

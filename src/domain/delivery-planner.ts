import { selectStep, type Sequence } from './collection-sequence';
import { addDays } from './dates';
import { nextOpening, type SendWindow } from './send-window';
import { groupByCustomer, statementStep } from './statements';

/**
 * Deliveries are planned, then sent. Which record gets which message on which channel, or is skipped and why, or waits
 * for the send window, is decided here and only here, from facts the sweep loaded; the channel executors
 * (src/activities/channels) carry the plan out through the one outbox. The sweep's SQL leaves out the invoices a
 * sequence would skip for good (`remindable` in src/db/sweep-plans.ts) and computes the same skip reason
 * (`skipReasonSql`); test/integration/delivery-planner-sql-agreement.test.ts holds the two together.
 */

export type ReminderAction =
  | { type: 'email'; to: 'customer' | { userIds?: string[]; emails?: string[] }; subject: string; body: string; attachInvoicePdf?: boolean }
  | { type: 'push'; userIds: string[]; title?: string; body?: string }
  | { type: 'task'; assigneeId?: string | null; candidateGroupId?: string | null; title: string; description?: string }
  | { type: 'memo' | 'stamp'; text: string }
  /** Sends the invoice itself to its customer and marks it sent (`send-unsent-invoices`). */
  | { type: 'send'; subject: string; body: string };

/** Templates whose customer emails are reminders (unsubscribe link, stopped by a pause or an opt-out); the others' are transactional. */
export const CUSTOMER_REMINDER_TEMPLATES: readonly string[] = ['payment-due-reminder', 'overdue-invoice-stamp', 'collection-sequence'];

/**
 * Why a customer email is not sent, in precedence order: when several hold, the first is the one reported, the one
 * whose end takes the most to bring about (an address fixed by the team, a customer opting back in, a dispute
 * resolved, a date passing, a pause ending), so that the reason shown is the one still true after the others are gone.
 */
export const SKIP_REASONS = ['suppressed', 'opted_out', 'disputed', 'promised', 'paused'] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

/** What the planner refuses to deliver: the record's own failure, recorded `failed` with its message as today. */
export type RefusalReason = 'no_email_address' | 'not_a_member' | 'not_an_invoice' | 'unknown_action';

/** Days after the promised date that reminders still wait before the promise counts as broken. */
export const PROMISE_GRACE_DAYS = 2;

export interface Pause {
  /** When reminders were paused (null: not paused). */
  at: string | null;
  /** The day they resume by themselves (exclusive: paused through the day before); null: until resumed. */
  until: string | null;
}

/** What the planner knows of a record, loaded with it. Invoice facts are null for bills and payments. */
export interface PlanFacts {
  id: string;
  recordType: 'invoice' | 'bill' | 'payment';
  customerId: string | null;
  customerEmail: string | null;
  /** The customer's `remindersEnabled` (null: no customer). */
  remindersEnabled: boolean | null;
  pause: Pause;
  disputedAt: string | null;
  /** The day the customer promised to pay, YYYY-MM-DD. */
  promisedOn: string | null;
  /** The company's suppression of the customer's address, when there is one. */
  suppression: { id: string; reason: string } | null;
  customerTimezone: string | null;
  dueDate: string | null;
  /** The last sequence step the invoice was sent (-1: none). */
  lastStep: number;
}

export interface PlanDefinition {
  templateKey: string;
  name: string;
  actions: ReminderAction[];
  sequence: Sequence | null;
  sendWindow: SendWindow | null;
  /** The company's timezone, the send window's when the customer has none. */
  timezone: string;
  /** `customer`: one statement per customer and run (collection sequences). */
  groupBy?: 'customer' | null;
}

export interface PlanMoment {
  /** Today in the company's timezone, YYYY-MM-DD, as of the sweep's instant. */
  today: string;
  /** The instant the send window is judged at (the delivery's own, not the sweep's). */
  now: Date;
}

/** Who a channel delivers to. */
export interface Slot {
  channel: 'email' | 'send' | 'push' | 'task' | 'memo' | 'stamp';
  recipient: string;
}

export interface MessageSpec {
  subject: string;
  body: string;
}

export type Intent =
  | (Slot & {
    channel: 'email' | 'send';
    /** `customer`: the record's customer; `team`: members and fixed addresses. */
    audience: 'customer' | 'team';
    /** What the customer email is, for its decorations and the invoice's messages; null: a team email or a receipt. */
    kind: 'reminder' | 'invoice' | 'statement' | null;
    message: MessageSpec;
    attachPdf: boolean;
    /** The sequence step this email is, recorded as the invoice's progress with its send. */
    sequenceStep: number | null;
    /** The invoice is marked sent with the email (`send-unsent-invoices`). */
    marksInvoiceSent: boolean;
    /**
     * A statement (`groupBy: "customer"`): the customer and every invoice it lists, each at its step of today (each
     * step's progress recorded with the send); its texts are those of the furthest of these steps.
     */
    statement?: { customerId: string; invoices: Array<{ recordId: string; step: number }> };
  })
  | (Slot & { channel: 'push'; title: MessageSpec })
  /** For an assignee, or else for a candidate group's members to claim (recipient `group:<id>`). */
  | (Slot & { channel: 'task'; assigneeId: string | null; candidateGroupId?: string | null; task: MessageSpec })
  | (Slot & { channel: 'memo' | 'stamp'; text: string });

export type PlannedItem =
  | { outcome: 'deliver'; intent: Intent }
  /** Not sent now, recorded `skipped` with its reason under the intent's key (a later run takes the key again). */
  | { outcome: 'skip'; slot: Slot; reason: SkipReason }
  | { outcome: 'refuse'; slot: Slot; reason: RefusalReason; error: string };

export interface RecordPlan {
  recordId: string;
  /** The sequence step the invoice gets today (collection sequences), or null. */
  step: number | null;
  /** Set when the record emails its customer while the send window is closed: it waits, whole, until then (ISO). */
  deferredUntil: string | null;
  /**
   * The customer's promise passed its grace unpaid and the step's email to the customer goes now: recorded broken (once)
   * as the run sends it. A skipped, refused or deferred step leaves the promise as it is, to the run that sends it.
   */
  promiseBroken: boolean;
  items: PlannedItem[];
}

/** Whether an invoice's reminders are paused on `today` (through the day before `until`, or until resumed). */
export function remindersPaused(pause: Pause, today: string): boolean {
  return pause.at !== null && (pause.until === null || pause.until > today);
}

/** The last day a promise holds reminders back (its date plus the grace); from the next day on it is broken. */
export function promiseHoldsThrough(promisedOn: string): string {
  return addDays(promisedOn, PROMISE_GRACE_DAYS);
}

/** Why the record's customer reminders do not go today, or null when they go. */
export function skipReason(facts: Pick<PlanFacts, 'remindersEnabled' | 'pause' | 'disputedAt' | 'promisedOn' | 'suppression'>, today: string): SkipReason | null {
  if (facts.suppression) return 'suppressed';
  if (facts.remindersEnabled === false) return 'opted_out';
  if (facts.disputedAt !== null) return 'disputed';
  if (facts.promisedOn !== null && today <= promiseHoldsThrough(facts.promisedOn)) return 'promised';
  if (remindersPaused(facts.pause, today)) return 'paused';
  return null;
}

/** Skip reasons of invoices the sweep's SQL leaves out of a sequence (they are not matches: no row is recorded for them). */
export const UNMATCHED_SKIP_REASONS: readonly SkipReason[] = ['opted_out', 'paused'];

/** The actions of the record today: a sequence's step (its email, and its task), or the definition's actions. */
function actionsOf(def: PlanDefinition, step: number | null): ReminderAction[] {
  if (def.templateKey !== 'collection-sequence' || !def.sequence || step === null) return def.actions;
  const s = def.sequence.steps[step];
  const actions: ReminderAction[] = [{ type: 'email', to: 'customer', subject: s.subject, body: s.body, attachInvoicePdf: s.attachInvoicePdf }];
  if (s.task) actions.push({ type: 'task', ...s.task });
  return actions;
}

/**
 * The plan of one record: null when the record has nothing due today (a sequence invoice with no step today). `members`
 * are the company's users among those the actions name.
 */
export function planRecord(def: PlanDefinition, facts: PlanFacts, members: ReadonlyMap<string, { email: string }>, at: PlanMoment): RecordPlan | null {
  const sequence = def.templateKey === 'collection-sequence';
  let step: number | null = null;
  if (sequence) {
    step = def.sequence && facts.dueDate ? selectStep(def.sequence, { dueDate: facts.dueDate, today: at.today, lastStep: facts.lastStep }) : null;
    if (step === null) return null;
  }
  const reminder = CUSTOMER_REMINDER_TEMPLATES.includes(def.templateKey);
  const customerSkip = reminder ? skipReason(facts, at.today) : facts.suppression ? 'suppressed' : null;
  const promiseBroken = reminder && facts.recordType === 'invoice' && facts.promisedOn !== null && at.today > promiseHoldsThrough(facts.promisedOn);
  const items: PlannedItem[] = [];
  const refuse = (slot: Slot, reason: RefusalReason, error: string) => items.push({ outcome: 'refuse', slot, reason, error });
  let customerEmailSkipped = false;

  for (const given of actionsOf(def, step)) {
    const action: Exclude<ReminderAction, { type: 'send' }> = given.type === 'send'
      ? { type: 'email', to: 'customer', subject: given.subject, body: given.body }
      : given;
    switch (action.type) {
      case 'email': {
        const toCustomer = action.to === 'customer';
        // Sending an unsent invoice marks it sent with the same delivery; it is the `send` channel.
        const sendsInvoice = toCustomer && def.templateKey === 'send-unsent-invoices';
        const channel = sendsInvoice ? 'send' : 'email';
        const recipients: string[] = [];
        if (toCustomer) {
          if (!facts.customerEmail) {
            refuse({ channel: 'email', recipient: 'customer' }, 'no_email_address', 'the customer has no email address');
            break;
          }
          const to = facts.customerEmail.toLowerCase();
          if (customerSkip) {
            items.push({ outcome: 'skip', slot: { channel, recipient: to }, reason: customerSkip });
            customerEmailSkipped = true;
            break;
          }
          recipients.push(to);
        } else if (typeof action.to === 'object' && action.to) {
          for (const id of action.to.userIds ?? []) {
            const user = members.get(id);
            if (user) recipients.push(user.email.toLowerCase());
            else refuse({ channel: 'email', recipient: `user:${id}` }, 'not_a_member', `user ${id} is not a member of the company`);
          }
          for (const email of action.to.emails ?? []) recipients.push(email.toLowerCase());
        }
        let kind: 'reminder' | 'invoice' | null = null;
        if (toCustomer && facts.recordType === 'invoice') kind = sendsInvoice ? 'invoice' : reminder ? 'reminder' : null;
        for (const to of [...new Set(recipients)]) {
          items.push({
            outcome: 'deliver',
            intent: {
              channel, recipient: to, audience: toCustomer ? 'customer' : 'team', kind,
              message: { subject: action.subject, body: action.body },
              attachPdf: facts.recordType === 'invoice' && (sendsInvoice || ('attachInvoicePdf' in action && action.attachInvoicePdf === true)),
              sequenceStep: sequence && toCustomer ? step : null,
              marksInvoiceSent: sendsInvoice,
            },
          });
        }
        break;
      }
      case 'push':
        for (const userId of [...new Set(action.userIds ?? [])]) {
          const slot = { channel: 'push', recipient: userId } as const;
          if (!members.has(userId)) refuse(slot, 'not_a_member', `user ${userId} is not a member of the company`);
          else items.push({ outcome: 'deliver', intent: { ...slot, title: { subject: action.title ?? def.name, body: action.body ?? '' } } });
        }
        break;
      case 'task': {
        const assigneeId = action.assigneeId ?? null;
        const candidateGroupId = action.candidateGroupId ?? null;
        // The assignee keeps the key it always had; a group's task is keyed by the group.
        const slot = { channel: 'task', recipient: assigneeId ?? (candidateGroupId ? `group:${candidateGroupId}` : '') } as const;
        if (assigneeId !== null ? !members.has(assigneeId) : candidateGroupId === null) {
          refuse(slot, 'not_a_member', `assignee ${assigneeId ?? '(none)'} is not a member of the company`);
        } else if (sequence && customerEmailSkipped && customerSkip) {
          // A step is one unit: its task goes with its email, or waits with it.
          items.push({ outcome: 'skip', slot, reason: customerSkip });
        } else {
          const task = { subject: action.title, body: action.description ?? '' };
          items.push({ outcome: 'deliver', intent: candidateGroupId ? { ...slot, assigneeId, candidateGroupId, task } : { ...slot, assigneeId, task } });
        }
        break;
      }
      case 'memo':
      case 'stamp': {
        const slot = { channel: action.type, recipient: '' } as const;
        if (facts.recordType !== 'invoice') refuse(slot, 'not_an_invoice', `a ${action.type} action applies to invoices, not to a ${facts.recordType}`);
        else items.push({ outcome: 'deliver', intent: { ...slot, text: action.text } });
        break;
      }
      default: {
        const type = (action as { type?: string }).type;
        refuse({ channel: 'email', recipient: `action:${type}` }, 'unknown_action', `unknown action type "${type}"`);
      }
    }
  }

  // A record that emails its customer while the send window is closed waits, whole, for its next opening.
  let deferredUntil: string | null = null;
  const emailsCustomer = items.some((i) => i.outcome === 'deliver' && 'audience' in i.intent && i.intent.audience === 'customer');
  if (def.sendWindow && emailsCustomer) {
    const opens = nextOpening(def.sendWindow, facts.customerTimezone ?? def.timezone, at.now);
    if (opens.getTime() > at.now.getTime()) deferredUntil = opens.toISOString();
  }
  return { recordId: facts.id, step, deferredUntil, promiseBroken: promiseBroken && emailsCustomer && deferredUntil === null, items };
}

/** The plans of a batch, in the records' order; a sequence grouped by customer sends statements (`groupStatements`). */
export function planBatch(def: PlanDefinition, records: PlanFacts[], members: ReadonlyMap<string, { email: string }>, at: PlanMoment): RecordPlan[] {
  const plans: RecordPlan[] = [];
  const customerOf = new Map<string, string | null>();
  for (const facts of records) {
    const plan = planRecord(def, facts, members, at);
    if (plan) {
      plans.push(plan);
      customerOf.set(plan.recordId, facts.customerId);
    }
  }
  if (def.groupBy !== 'customer' || def.templateKey !== 'collection-sequence' || !def.sequence) return plans;
  return groupStatements(def.sequence, plans, customerOf);
}

type EmailIntent = Extract<Intent, { channel: 'email' | 'send' }>;

function customerEmailOf(plan: RecordPlan): EmailIntent | undefined {
  for (const item of plan.items) {
    if (item.outcome === 'deliver' && item.intent.channel === 'email' && item.intent.audience === 'customer') return item.intent;
  }
  return undefined;
}

/**
 * One statement per customer: the invoices whose step's email goes now (neither skipped, refused, nor waiting for the
 * send window) are listed in one email, carried by the plan of the first of them with the furthest step's texts and
 * task; the others' plans keep nothing to deliver. What is skipped or refused stays each invoice's own, under its own
 * key, as without grouping.
 */
function groupStatements(sequence: Sequence, plans: RecordPlan[], customerOf: ReadonlyMap<string, string | null>): RecordPlan[] {
  const sending = plans.filter((p) => p.deferredUntil === null && p.step !== null && customerEmailOf(p) !== undefined);
  for (const { customerId, records: listed } of groupByCustomer(sending, (p) => customerOf.get(p.recordId))) {
    const step = statementStep(listed.map((p) => p.step!));
    const { subject, body } = sequence.steps[step];
    const email: EmailIntent = {
      ...customerEmailOf(listed[0])!, kind: 'statement', message: { subject, body }, attachPdf: false, sequenceStep: null,
      statement: { customerId, invoices: listed.map((p) => ({ recordId: p.recordId, step: p.step! })) },
    };
    const task = listed.find((p) => p.step === step)!.items.filter((i) => (i.outcome === 'deliver' ? i.intent.channel : i.slot.channel) === 'task');
    for (const p of listed) p.items = [];
    listed[0].items = [{ outcome: 'deliver', intent: email }, ...task];
  }
  return plans;
}

/** The users an action or a step names, to load as members. */
export function namedUserIds(def: Pick<PlanDefinition, 'actions' | 'sequence'>): string[] {
  const ids = new Set<string>();
  for (const step of def.sequence?.steps ?? []) if (step.task?.assigneeId) ids.add(step.task.assigneeId);
  for (const a of def.actions) {
    if (a.type === 'email' && typeof a.to === 'object' && a.to) (a.to.userIds ?? []).forEach((id) => ids.add(id));
    if (a.type === 'push') (a.userIds ?? []).forEach((id) => ids.add(id));
    if (a.type === 'task' && a.assigneeId) ids.add(a.assigneeId);
  }
  return [...ids];
}

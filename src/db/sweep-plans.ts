import { SWEEP_TEMPLATE_KEYS, type SweepTemplateKey } from '../contracts';
import type { RecordType } from '../domain/conditions';
import { dueDatesWithStepToday, latestDueDateReached, type Sequence, stepOccurrence } from '../domain/collection-sequence';
import { todayIn } from '../domain/dates';
import type { PlanFacts } from '../domain/delivery-planner';
import { messageVariables } from '../domain/variables';

/** A matched record with what the actions need, loaded by `deliverBatch`. Money stays a decimal string. */
export interface SweepRecord {
  id: string;
  /** The `record_type` of tasks, notifications and deliveries. */
  recordType: RecordType;
  /** The customer's address for `to: "customer"`, when the record has a customer. */
  customerEmail: string | null;
  /** The template's message variables. */
  variables: Record<string, unknown>;
  /** Fields the side effects need (e.g. due date for the occurrence). */
  row: Record<string, string | null>;
}

/**
 * What a template sweeps, beyond the definition's own conditions: the table, the template's fixed rule, the
 * order of the keyset (aligned with an index so each page is one range scan resuming where the last stopped),
 * and the occurrence that makes a delivery at most once.
 *
 * Occurrences (one delivery per definition, record, occurrence, channel and recipient):
 * - `payment-due-reminder`, `bill-payment-reminder`: `due-<dueDate>`, once per due date (a new due date reminds again);
 * - `overdue-invoice-stamp`: `overdue-<dueDate>`, the memo/stamp is written once per due date;
 * - `send-unsent-invoices`: `send`, an invoice is sent once, ever;
 * - `unsent-invoice-reminder`: `unsent-<today>`, the team is reminded once a day while the invoice stays unsent;
 * - `bank-deposit-reminder`: `undeposited`, once per payment;
 * - `payment-received`: `received`, once per payment;
 * - `collection-sequence`: `step-<n>`, each step once per invoice (its `rule` leaves out invoices with no step due).
 */
export interface SweepPlan {
  recordType: RecordType;
  table: 'invoices' | 'bills' | 'payments';
  /** Keyset order column besides `id`; null: `id` alone. */
  keyColumn: string | null;
  /** Fixed rule over alias `a`; `{today}` stands for the company's today (a date parameter). */
  base: string;
  occurrence(row: Record<string, string | null>, today: string): string;
  /**
   * A rule that depends on the definition (over alias `a`), pushed down into the same statement: `add` binds a
   * parameter and answers its placeholder.
   */
  rule?(context: PlanContext): string;
  /** Columns the rule's records carry into `row` beside the detail select's (over alias `a`). */
  detailColumns?(context: PlanContext): string;
}

export interface PlanContext {
  definitionId: string;
  sequence: Sequence | null;
  today: string;
  add(value: unknown, cast: string): string;
}

/** A customer reminder stops for an invoice whose reminders are paused, and for a customer who opted out. */
export function remindable(today: string): string {
  return `(a.reminders_paused_at IS NULL OR a.reminders_paused_until <= ${today})
    AND EXISTS (SELECT 1 FROM customers rc WHERE rc.id = a.customer_id AND rc.reminders_enabled)`;
}

/** The last step of the sequence the invoice was sent, -1 when none (progress is kept in `collection_progress`). */
const lastStep = (definitionParam: string) =>
  `COALESCE((SELECT p.last_step FROM collection_progress p WHERE p.definition_id = ${definitionParam} AND p.invoice_id = a.id), -1)`;

/**
 * The invoices that have a step due today, as `selectStep` (src/domain/collection-sequence.ts) decides: a step after
 * the last one sent whose day has come; for catch-up `none`, only the step falling on today.
 */
function sequenceRule(c: PlanContext): string {
  if (!c.sequence || c.sequence.steps.length === 0) return 'FALSE';
  const today = c.add(c.today, 'date');
  const last = lastStep(c.add(c.definitionId, 'uuid'));
  const base = `a.balance > 0 AND ${SENDABLE} AND ${remindable(today)}`;
  if (c.sequence.catchUp === 'none') {
    const days = c.add(dueDatesWithStepToday(c.sequence, c.today), 'date[]');
    return `${base} AND a.due_date = ANY(${days}) AND array_position(${days}, a.due_date) - 1 > ${last}`;
  }
  const offsets = c.add(c.sequence.steps.map((step) => step.offsetDays), 'int[]');
  return `${base} AND a.due_date <= ${c.add(latestDueDateReached(c.sequence, c.today), 'date')}
    AND (SELECT count(*) FROM unnest(${offsets}) o WHERE a.due_date + o <= ${today}) - 1 > ${last}`;
}

// Invoices awaiting or refused approval are never sent nor reminded.
const SENDABLE = `a.approval_status IN ('not_required', 'approved')`;

export const SWEEP_PLANS: Record<SweepTemplateKey, SweepPlan> = {
  'send-unsent-invoices': {
    recordType: 'invoice', table: 'invoices', keyColumn: null,
    base: `a.sent_at IS NULL AND ${SENDABLE}`,
    occurrence: () => 'send',
  },
  'unsent-invoice-reminder': {
    recordType: 'invoice', table: 'invoices', keyColumn: null,
    base: `a.sent_at IS NULL AND ${SENDABLE}`,
    occurrence: (_row, today) => `unsent-${today}`,
  },
  'payment-due-reminder': {
    recordType: 'invoice', table: 'invoices', keyColumn: 'due_date',
    base: `a.due_date >= {today} AND a.balance > 0 AND ${SENDABLE}`,
    occurrence: (row) => `due-${row.dueDate}`,
  },
  'overdue-invoice-stamp': {
    recordType: 'invoice', table: 'invoices', keyColumn: 'due_date',
    base: `a.due_date < {today} AND a.balance > 0`,
    occurrence: (row) => `overdue-${row.dueDate}`,
  },
  'bill-payment-reminder': {
    recordType: 'bill', table: 'bills', keyColumn: 'due_date',
    base: `a.paid_at IS NULL AND a.balance > 0`,
    occurrence: (row) => `due-${row.dueDate}`,
  },
  'bank-deposit-reminder': {
    recordType: 'payment', table: 'payments', keyColumn: 'received_at',
    base: `a.deposit_id IS NULL`,
    occurrence: () => 'undeposited',
  },
  'payment-received': {
    recordType: 'payment', table: 'payments', keyColumn: null,
    base: 'TRUE',
    occurrence: () => 'received',
  },
  'collection-sequence': {
    recordType: 'invoice', table: 'invoices', keyColumn: 'due_date',
    base: 'TRUE',
    rule: sequenceRule,
    detailColumns: (c) => `${lastStep(c.add(c.definitionId, 'uuid'))} AS last_step`,
    occurrence: (row) => stepOccurrence(Number(row.step)),
  },
};

export function sweepPlan(templateKey: string): SweepPlan | undefined {
  return (SWEEP_TEMPLATE_KEYS as readonly string[]).includes(templateKey) ? SWEEP_PLANS[templateKey as SweepTemplateKey] : undefined;
}

/** The company's suppression of the customer's address (nothing is ever sent to a suppressed address). */
const SUPPRESSION_JOIN = `LEFT JOIN LATERAL (SELECT x.id, x.reason FROM suppressions x
                WHERE x.company_id = a.company_id AND lower(x.address) = lower(c.email) LIMIT 1) s ON true`;

/** One query loading matched records by id with the details the messages use; `$1` company, `$2` ids. */
export const DETAIL_SELECT: Record<RecordType, string> = {
  invoice: `SELECT a.id, a.number, a.amount::text AS amount, a.balance::text AS balance, a.issue_date::text AS issue_date,
                   a.due_date::text AS due_date, a.memo, a.stamp, a.sent_at::text AS sent_at, a.approval_status,
                   c.name AS customer_name, c.email AS customer_email, l.name AS location_name, u.name AS created_by_name,
                   a.customer_id, c.reminders_enabled, c.timezone AS customer_timezone, a.reminders_paused_at::text AS reminders_paused_at,
                   a.reminders_paused_until::text AS reminders_paused_until, a.disputed_at::text AS disputed_at, a.promised_on::text AS promised_on,
                   c.locale AS customer_locale, s.id AS suppression_id, s.reason AS suppression_reason
              FROM invoices a JOIN customers c ON c.id = a.customer_id
              LEFT JOIN locations l ON l.id = a.location_id LEFT JOIN users u ON u.id = a.created_by
              ${SUPPRESSION_JOIN}`,
  bill: `SELECT a.id, a.number, a.amount::text AS amount, a.balance::text AS balance, a.due_date::text AS due_date,
                v.name AS vendor_name, v.email AS vendor_email, l.name AS location_name
           FROM bills a JOIN vendors v ON v.id = a.vendor_id LEFT JOIN locations l ON l.id = a.location_id`,
  payment: `SELECT a.id, a.amount::text AS amount, a.received_at, a.method, i.number AS invoice_number,
                   i.balance::text AS invoice_balance, i.due_date::text AS due_date, c.name AS customer_name, c.email AS customer_email,
                   a.customer_id, c.locale AS customer_locale, s.id AS suppression_id, s.reason AS suppression_reason
              FROM payments a JOIN invoices i ON i.id = a.invoice_id JOIN customers c ON c.id = a.customer_id
              ${SUPPRESSION_JOIN}`,
};

/**
 * A matched record with the variables its messages may use: the same `messageVariables` that previews use, so a
 * preview shows what a sweep sends. Days count in the company's timezone as of the sweep's fixed instant.
 */
export function toSweepRecord(
  recordType: RecordType,
  raw: Record<string, unknown>,
  context: { company: { name: string; currency: string; timezone: string }; asOf: Date },
): SweepRecord {
  const s = (v: unknown) => (v === null || v === undefined ? null : String(v));
  const named = (name: unknown) => (name === null || name === undefined ? null : { name: String(name) });
  const sources = { company: context.company, now: context.asOf, location: named(raw.location_name) };
  if (recordType === 'invoice') {
    const record = {
      number: raw.number, amount: raw.amount, balance: raw.balance, issueDate: raw.issue_date, dueDate: raw.due_date, memo: raw.memo,
    };
    return {
      id: String(raw.id), recordType, customerEmail: s(raw.customer_email),
      row: {
        dueDate: s(raw.due_date)!, sentAt: s(raw.sent_at), approvalStatus: s(raw.approval_status), customerId: s(raw.customer_id),
        remindersEnabled: s(raw.reminders_enabled), customerTimezone: s(raw.customer_timezone), lastStep: s(raw.last_step),
        remindersPausedAt: s(raw.reminders_paused_at), remindersPausedUntil: s(raw.reminders_paused_until),
        disputedAt: s(raw.disputed_at), promisedOn: s(raw.promised_on), customerLocale: s(raw.customer_locale),
        suppressionId: s(raw.suppression_id), suppressionReason: s(raw.suppression_reason),
      },
      variables: messageVariables('invoice', {
        ...sources, record, customer: { name: String(raw.customer_name), email: s(raw.customer_email) },
        createdBy: named(raw.created_by_name),
      }),
    };
  }
  if (recordType === 'bill') {
    const record = { number: raw.number, amount: raw.amount, balance: raw.balance, dueDate: raw.due_date };
    return {
      id: String(raw.id), recordType, customerEmail: null, row: { dueDate: s(raw.due_date)! },
      variables: messageVariables('bill', { ...sources, record, vendor: named(raw.vendor_name) }),
    };
  }
  const receivedAt = raw.received_at instanceof Date ? raw.received_at : new Date(String(raw.received_at));
  return {
    id: String(raw.id), recordType, customerEmail: s(raw.customer_email),
    row: {
      receivedDate: todayIn(context.company.timezone, receivedAt), customerId: s(raw.customer_id), customerLocale: s(raw.customer_locale),
      suppressionId: s(raw.suppression_id), suppressionReason: s(raw.suppression_reason),
    },
    variables: messageVariables('payment', {
      ...sources, record: { amount: raw.amount, receivedAt, method: raw.method },
      customer: { name: String(raw.customer_name), email: s(raw.customer_email) },
      invoice: { number: String(raw.invoice_number), balance: String(raw.invoice_balance) },
    }),
  };
}

/** What the planner knows of a loaded record. */
export function planFacts(record: SweepRecord): PlanFacts {
  const r = record.row;
  const v = (name: string) => r[name] ?? null;
  return {
    id: record.id, recordType: record.recordType, customerId: v('customerId'), customerEmail: record.customerEmail,
    remindersEnabled: v('remindersEnabled') === null ? null : v('remindersEnabled') === 'true',
    pause: { at: v('remindersPausedAt'), until: v('remindersPausedUntil') },
    disputedAt: v('disputedAt'), promisedOn: v('promisedOn'),
    suppression: v('suppressionId') ? { id: v('suppressionId')!, reason: v('suppressionReason') ?? '' } : null,
    customerTimezone: v('customerTimezone'), dueDate: v('dueDate'), lastStep: Number(v('lastStep') ?? -1),
  };
}

import type { RecordType } from '../domain/conditions';

/** Templates that a sweep runs; `invoice-approval` is driven by its own workflow. */
export const SWEEP_TEMPLATE_KEYS = [
  'send-unsent-invoices', 'payment-received', 'payment-due-reminder', 'overdue-invoice-stamp',
  'unsent-invoice-reminder', 'bill-payment-reminder', 'bank-deposit-reminder',
] as const;
export type SweepTemplateKey = (typeof SWEEP_TEMPLATE_KEYS)[number];

/** Templates fired by a Temporal Schedule (the others start from the API call that caused the event). */
export const SCHEDULED_TEMPLATE_KEYS: readonly string[] = SWEEP_TEMPLATE_KEYS.filter((k) => k !== 'payment-received');

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
 * - `payment-received`: `received`, once per payment.
 */
export interface SweepPlan {
  recordType: RecordType;
  table: 'invoices' | 'bills' | 'payments';
  /** Keyset order column besides `id`; null: `id` alone. */
  keyColumn: string | null;
  /** Fixed rule over alias `a`; `{today}` stands for the company's today (a date parameter). */
  base: string;
  occurrence(row: Record<string, string | null>, today: string): string;
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
};

export function sweepPlan(templateKey: string): SweepPlan | undefined {
  return (SWEEP_TEMPLATE_KEYS as readonly string[]).includes(templateKey) ? SWEEP_PLANS[templateKey as SweepTemplateKey] : undefined;
}

/** One query loading matched records by id with the details the messages use; `$1` company, `$2` ids. */
export const DETAIL_SELECT: Record<RecordType, string> = {
  invoice: `SELECT a.id, a.number, a.amount::text AS amount, a.balance::text AS balance, a.issue_date::text AS issue_date,
                   a.due_date::text AS due_date, a.memo, a.stamp, a.sent_at::text AS sent_at, a.approval_status,
                   c.name AS customer_name, c.email AS customer_email
              FROM invoices a JOIN customers c ON c.id = a.customer_id`,
  bill: `SELECT a.id, a.number, a.amount::text AS amount, a.balance::text AS balance, a.due_date::text AS due_date,
                v.name AS vendor_name, v.email AS vendor_email
           FROM bills a JOIN vendors v ON v.id = a.vendor_id`,
  payment: `SELECT a.id, a.amount::text AS amount, a.received_at, a.method, i.number AS invoice_number,
                   i.balance::text AS invoice_balance, i.due_date::text AS due_date, c.name AS customer_name, c.email AS customer_email
              FROM payments a JOIN invoices i ON i.id = a.invoice_id JOIN customers c ON c.id = a.customer_id`,
};

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/**
 * The variables a template's messages may use, from a detail row. Days count in the company's timezone;
 * `companyName` comes with every record.
 */
export function toSweepRecord(
  recordType: RecordType,
  raw: Record<string, unknown>,
  context: { companyName: string; today: string; dayOf: (instant: Date) => string },
): SweepRecord {
  const s = (v: unknown) => (v === null || v === undefined ? null : String(v));
  const base = { companyName: context.companyName };
  if (recordType === 'invoice') {
    const dueDate = s(raw.due_date)!;
    return {
      id: String(raw.id), recordType, customerEmail: s(raw.customer_email),
      row: { dueDate, sentAt: s(raw.sent_at), approvalStatus: s(raw.approval_status) },
      variables: {
        ...base, customerName: raw.customer_name, invoiceNumber: raw.number, amount: raw.amount, balance: raw.balance,
        issueDate: raw.issue_date, dueDate, memo: raw.memo,
        daysUntilDue: Math.max(0, daysBetween(context.today, dueDate)), daysOverdue: Math.max(0, daysBetween(dueDate, context.today)),
      },
    };
  }
  if (recordType === 'bill') {
    const dueDate = s(raw.due_date)!;
    return {
      id: String(raw.id), recordType, customerEmail: null, row: { dueDate },
      variables: {
        ...base, vendorName: raw.vendor_name, billNumber: raw.number ?? '', amount: raw.amount, balance: raw.balance, dueDate,
        daysUntilDue: Math.max(0, daysBetween(context.today, dueDate)), daysOverdue: Math.max(0, daysBetween(dueDate, context.today)),
      },
    };
  }
  const receivedDate = context.dayOf(raw.received_at instanceof Date ? raw.received_at : new Date(String(raw.received_at)));
  return {
    id: String(raw.id), recordType, customerEmail: s(raw.customer_email), row: { receivedDate },
    variables: {
      ...base, customerName: raw.customer_name, invoiceNumber: raw.invoice_number, amount: raw.amount, paymentAmount: raw.amount,
      invoiceBalance: raw.invoice_balance, balance: raw.invoice_balance, receivedDate, paymentMethod: raw.method ?? '',
      daysUndeposited: Math.max(0, daysBetween(receivedDate, context.today)),
    },
  };
}

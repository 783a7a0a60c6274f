import type { RecordType } from './conditions';
import { daysBetween, todayIn } from './dates';
import type { WorkflowTemplate } from './templates';

/** The values a message's variables take for one record (see each template's `variables`). */

export interface VariableSources {
  company: { name: string; currency: string; timezone: string };
  now: Date;
  /** The watched record, entity-shaped (camelCase, money as decimal strings, days as YYYY-MM-DD). */
  record: Record<string, unknown>;
  customer?: { name: string; email?: string | null } | null;
  vendor?: { name: string } | null;
  location?: { name: string } | null;
  /** For payments: the invoice paid, after the payment. */
  invoice?: { number: string; balance: string } | null;
  createdBy?: { name: string } | null;
  /** For approvals: the day by which it must be decided. */
  deadline?: string | null;
}

const text = (value: unknown): string => (value === null || value === undefined ? '' : String(value));

function dueCounters(dueDate: unknown, today: string) {
  if (typeof dueDate !== 'string') return { daysUntilDue: 0, daysOverdue: 0 };
  const days = daysBetween(today, dueDate.slice(0, 10));
  return { daysUntilDue: days, daysOverdue: Math.max(0, -days) };
}

export function messageVariables(recordType: RecordType, s: VariableSources): Record<string, unknown> {
  const today = todayIn(s.company.timezone, s.now);
  const r = s.record;
  const company = { companyName: s.company.name, currency: s.company.currency };
  switch (recordType) {
    case 'invoice':
      return {
        ...company,
        customerName: text(s.customer?.name), customerEmail: text(s.customer?.email), invoiceNumber: text(r.number),
        amount: r.amount, balance: r.balance, issueDate: r.issueDate, dueDate: r.dueDate, ...dueCounters(r.dueDate, today),
        locationName: text(s.location?.name), memo: text(r.memo), createdByName: text(s.createdBy?.name), deadline: s.deadline ?? '',
      };
    case 'bill':
      return {
        ...company,
        vendorName: text(s.vendor?.name), billNumber: text(r.number), amount: r.amount, balance: r.balance, issueDate: r.issueDate ?? '',
        dueDate: r.dueDate, ...dueCounters(r.dueDate, today), locationName: text(s.location?.name), memo: text(r.memo),
        createdByName: text(s.createdBy?.name), deadline: s.deadline ?? '',
      };
    case 'payment': {
      const receivedAt = r.receivedAt instanceof Date ? r.receivedAt : new Date(String(r.receivedAt));
      const receivedDay = Number.isNaN(receivedAt.getTime()) ? '' : todayIn(s.company.timezone, receivedAt);
      return {
        ...company,
        customerName: text(s.customer?.name), customerEmail: text(s.customer?.email), invoiceNumber: text(s.invoice?.number),
        paymentAmount: r.amount, receivedAt: receivedDay, invoiceBalance: s.invoice?.balance ?? '',
        paymentMethod: text(r.method), daysSinceReceived: receivedDay ? daysBetween(receivedDay, today) : 0,
      };
    }
  }
}

/** The template's example values, to show a message when no record matches. */
export function sampleVariables(template: WorkflowTemplate): Record<string, unknown> {
  return Object.fromEntries(template.variables.map((variable) => [variable.name, variable.example]));
}

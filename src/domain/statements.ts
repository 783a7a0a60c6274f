import { daysBetween } from './dates';
import { formatDate, formatMoney } from './messages';
import { addMoney } from './money';
import { catalogueLocale, type Locale, type TemplateVariable } from './templates';

/**
 * A statement: a collection sequence grouped by customer sends one email per customer and run, listing every open
 * invoice of the customer that has a step due, instead of one email per invoice. Its texts are the step's, over the
 * statement's variables (the customer and the list), never one invoice's.
 */

export const GROUP_BY = ['customer'] as const;
export type GroupBy = (typeof GROUP_BY)[number];

const v = (name: string, type: TemplateVariable['type'], description: string, example: string | number): TemplateVariable => ({ name, type, description, example });

/** The variables a statement's subject, body and task take. */
export const STATEMENT_VARIABLES: readonly TemplateVariable[] = [
  v('companyName', 'text', 'Name of your company', 'Maple Supplies Inc.'),
  v('currency', 'text', 'Currency code of the company', 'CAD'),
  v('customerName', 'text', 'Name of the customer', 'Tremblay Construction'),
  v('customerEmail', 'text', 'Email address of the customer', 'billing@tremblay.example'),
  v('invoiceCount', 'number', 'Number of invoices the statement lists', 2),
  v('invoiceList', 'text', 'The invoices listed, one per line: number, due date, balance', 'INV-1042 · Dec 2, 2026 · CA$800.00\nINV-1057 · Dec 9, 2026 · CA$450.00'),
  v('totalBalance', 'money', 'Sum of the balances listed (format with {{money totalBalance}})', '1250.00'),
  v('oldestDueDate', 'date', 'Earliest due date listed (format with {{date oldestDueDate}})', '2026-12-02'),
  v('daysOverdue', 'number', 'Days past the earliest due date (0 when none is due yet)', 5),
];

export const STATEMENT_VARIABLE_NAMES: readonly string[] = STATEMENT_VARIABLES.map((variable) => variable.name);

/** The steps a sequence grouped by customer takes when it gives none: the template's days, worded as statements. */
export const STATEMENT_DEFAULT_STEPS: Record<Locale, Array<{ offsetDays: number; subject: string; body: string }>> = {
  'en-US': [
    {
      offsetDays: -3, subject: 'Your statement from {{companyName}}: {{money totalBalance}} coming due',
      body: 'Hello {{customerName}},\n\nA friendly reminder of the {{invoiceCount}} invoices coming due:\n\n{{invoiceList}}\n\n'
        + 'Total: {{money totalBalance}}. The statement is attached.\n\nThank you,\n{{companyName}}',
    },
    {
      offsetDays: 1, subject: 'Your statement from {{companyName}}: {{money totalBalance}} past due',
      body: 'Hello {{customerName}},\n\nThese invoices are past due:\n\n{{invoiceList}}\n\nTotal: {{money totalBalance}}. '
        + 'If you have already paid, please disregard this message.\n\nThank you,\n{{companyName}}',
    },
    {
      offsetDays: 7, subject: 'Second notice: {{money totalBalance}} overdue with {{companyName}}',
      body: 'Hello {{customerName}},\n\nThese invoices remain unpaid, the oldest {{daysOverdue}} days overdue:\n\n{{invoiceList}}\n\n'
        + 'Total: {{money totalBalance}}. Please send your payment as soon as possible.\n\n{{companyName}}',
    },
  ],
  'fr-CA': [
    {
      offsetDays: -3, subject: 'Votre relevé de {{companyName}} : {{money totalBalance}} bientôt dû',
      body: 'Bonjour {{customerName}},\n\nUn rappel amical des {{invoiceCount}} factures qui arrivent à échéance :\n\n{{invoiceList}}\n\n'
        + 'Total : {{money totalBalance}}. Le relevé est joint.\n\nMerci,\n{{companyName}}',
    },
    {
      offsetDays: 1, subject: 'Votre relevé de {{companyName}} : {{money totalBalance}} en retard',
      body: 'Bonjour {{customerName}},\n\nCes factures sont échues :\n\n{{invoiceList}}\n\nTotal : {{money totalBalance}}. '
        + 'Si vous avez déjà payé, veuillez ignorer ce message.\n\nMerci,\n{{companyName}}',
    },
    {
      offsetDays: 7, subject: 'Deuxième avis : {{money totalBalance}} en souffrance chez {{companyName}}',
      body: 'Bonjour {{customerName}},\n\nCes factures restent impayées, la plus ancienne depuis {{daysOverdue}} jours :\n\n{{invoiceList}}\n\n'
        + 'Total : {{money totalBalance}}. Merci de régler dès que possible.\n\n{{companyName}}',
    },
  ],
};

export function statementDefaultSteps(locale: string) {
  return STATEMENT_DEFAULT_STEPS[catalogueLocale(locale)];
}

/** One invoice as a statement lists it; money stays a decimal string until it is formatted. */
export interface StatementLine {
  invoiceId: string;
  number: string;
  issueDate: string;
  dueDate: string;
  amount: string;
  balance: string;
}

/** A statement's line from an invoice's message variables (invoiceNumber, issueDate, dueDate, amount, balance). */
export function statementLineOf(invoiceId: string, variables: Record<string, unknown>): StatementLine {
  const day = (value: unknown) => String(value ?? '').slice(0, 10);
  return {
    invoiceId, number: String(variables.invoiceNumber ?? ''), issueDate: day(variables.issueDate), dueDate: day(variables.dueDate),
    amount: String(variables.amount ?? '0.00'), balance: String(variables.balance ?? '0.00'),
  };
}

export interface Statement {
  company: { name: string; locale: string; currency: string; timezone: string };
  customer: { name: string; email: string | null };
  /** The day of the run in the company's timezone, YYYY-MM-DD: the statement's date. */
  asOf: string;
  /** In the order the statement lists them (see `statementLines`). */
  lines: StatementLine[];
}

/** Oldest due date first, then by number: the order of the email, the PDF and the preview. */
export function statementLines(lines: readonly StatementLine[]): StatementLine[] {
  return [...lines].sort((a, b) => (a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : a.number.localeCompare(b.number, 'en')));
}

export function statementTotal(lines: readonly StatementLine[]): string {
  return addMoney('0', ...lines.map((line) => line.balance));
}

/** The values of STATEMENT_VARIABLES for one statement; the list is formatted in the company's locale. */
export function statementVariables(s: Statement): Record<string, unknown> {
  const { locale, currency, timezone } = s.company;
  const lines = statementLines(s.lines);
  const oldest = lines[0]?.dueDate ?? s.asOf;
  return {
    companyName: s.company.name,
    currency,
    customerName: s.customer.name,
    customerEmail: s.customer.email ?? '',
    invoiceCount: lines.length,
    invoiceList: lines.map((l) => `${l.number} · ${formatDate(l.dueDate, locale, timezone, 'medium')} · ${formatMoney(l.balance, locale, currency)}`).join('\n'),
    totalBalance: statementTotal(lines),
    oldestDueDate: oldest,
    daysOverdue: Math.max(0, daysBetween(oldest, s.asOf)),
  };
}

/** Records grouped by their customer, in the order each customer first appears; records without one are left out. */
export function groupByCustomer<T>(records: readonly T[], customerOf: (record: T) => string | null | undefined): Array<{ customerId: string; records: T[] }> {
  const groups = new Map<string, T[]>();
  for (const record of records) {
    const customerId = customerOf(record);
    if (!customerId) continue;
    const group = groups.get(customerId);
    if (group) group.push(record);
    else groups.set(customerId, [record]);
  }
  return [...groups].map(([customerId, grouped]) => ({ customerId, records: grouped }));
}

/**
 * The step whose texts (and task) a statement takes: the furthest step due among the invoices it lists, so that the
 * most overdue invoice is never spoken of more gently than its own step would.
 */
export function statementStep(stepIndexes: readonly number[]): number {
  if (stepIndexes.length === 0) throw new Error('a statement lists at least one invoice');
  return Math.max(...stepIndexes);
}

/** The file name the statement's PDF takes. */
export function statementPdfFilename(asOf: string): string {
  return `statement-${asOf}.pdf`;
}

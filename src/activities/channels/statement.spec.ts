import type { SweepRecord } from '../../db/sweep-plans';
import type { OutgoingMail } from '../../infra/mailer';
import type { Outbox } from '../../infra/outbox';
import type { DeliveryContext } from './context';
import type { EmailDecorationContext } from './email-decorations';
import { createStatementChannel, type ListedInvoice, statementOccurrence, statementOf, type StatementIntent } from './statement';

const CUSTOMER = 'c0000000-0000-4000-8000-000000000001';
const invoice = (id: string, number: string, dueDate: string, balance: string): SweepRecord => ({
  id, recordType: 'invoice', customerEmail: 'buyer@example.test',
  variables: { invoiceNumber: number, issueDate: '2026-11-01', dueDate, amount: balance, balance, customerName: 'Tremblay Construction' },
  row: { customerId: CUSTOMER, dueDate },
});
const listed: ListedInvoice[] = [
  { record: invoice('i-3', 'INV-3', '2026-12-01', '30.00'), step: 2, occurrence: 'step-3' },
  { record: invoice('i-1', 'INV-1', '2026-12-09', '10.00'), step: 0, occurrence: 'step-1' },
  { record: invoice('i-2', 'INV-2', '2026-12-05', '20.00'), step: 1, occurrence: 'step-2' },
];

/** A run's context whose outbox sends at once (the claim, guard and mark are the outbox's own tests'). */
function context(keys: string[]): DeliveryContext {
  const outbox = {
    async deliver(row: { key: string }, effect: { send?: (key: string) => Promise<void> }) {
      keys.push(row.key);
      await effect.send!(row.key);
      return { status: 'delivered' as const };
    },
  } as unknown as Outbox;
  return {
    def: {
      id: 'def-1', companyId: 'co-1', templateKey: 'collection-sequence', name: 'Statements', status: 'active', conditions: [], actions: [],
      locale: 'en-US', companyName: 'Maple Supplies', timezone: 'UTC', currency: 'USD', plan: 'advanced', sequence: null, sendWindow: null,
    },
    runRecordId: 'run-1', record: listed[0].record, occurrence: 'step-3', attempt: 1, locale: 'en-US', outbox,
  };
}

describe(statementOccurrence.name, () => {
  it('is the same for the same invoice steps in any order, and another for another step or another day', () => {
    const a = [{ recordId: 'i-1', step: 0 }, { recordId: 'i-2', step: 1 }];
    expect(statementOccurrence('2026-12-10', a)).toBe(statementOccurrence('2026-12-10', [...a].reverse()));
    expect(statementOccurrence('2026-12-10', a)).not.toBe(statementOccurrence('2026-12-10', [a[0], { recordId: 'i-2', step: 2 }]));
    expect(statementOccurrence('2026-12-10', a)).not.toBe(statementOccurrence('2026-12-11', a));
    expect(statementOccurrence('2026-12-10', a)).not.toBe(statementOccurrence('2026-12-10', [a[0]]));
  });
});

describe(createStatementChannel.name, () => {
  it('sends one email under the customer\'s key of the day and invoice steps, its decorations given every invoice it lists, the statement PDF attached', async () => {
    const keys: string[] = [];
    const mails: OutgoingMail[] = [];
    const decorated: EmailDecorationContext[] = [];
    const deliver = createStatementChannel({
      mailer: { send: async (m) => { mails.push(m); return { messageId: 'm' }; }, close: () => undefined },
      decorations: [async (c) => { decorated.push(c); return { replyTo: 'r-token@inbound.test', footerText: '\n--\nfooter' }; }],
      deliveries: { claim: jest.fn(), transaction: jest.fn() } as never,
    });
    const ctx = context(keys);
    const intent: StatementIntent = {
      channel: 'email', recipient: 'buyer@example.test', audience: 'customer', kind: 'statement', attachPdf: false, sequenceStep: null, marksInvoiceSent: false,
      message: { subject: 'Statement: {{invoiceCount}} invoices', body: '{{invoiceList}}\nTotal {{money totalBalance}}' },
      statement: { customerId: CUSTOMER, invoices: listed.map((l) => ({ recordId: l.record.id, step: l.step })) },
    };
    const outcome = await deliver(ctx, intent, listed, statementOf(ctx, intent.recipient, listed, '2026-12-10'));

    expect(outcome).toEqual({ status: 'delivered' });
    expect(keys).toEqual([`def-1|customer:${CUSTOMER}|${statementOccurrence('2026-12-10', intent.statement.invoices)}|email|buyer@example.test`]);
    expect(keys[0]).toMatch(/\|statement-2026-12-10-[0-9a-f]{16}\|/);
    expect(decorated).toEqual([expect.objectContaining({ kind: 'statement', customerId: CUSTOMER, invoiceIds: ['i-1', 'i-2', 'i-3'], recipient: 'buyer@example.test' })]);
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ to: 'buyer@example.test', subject: 'Statement: 3 invoices', replyTo: 'r-token@inbound.test' });
    expect(mails[0].text).toBe('INV-3 · Dec 1, 2026 · $30.00\nINV-2 · Dec 5, 2026 · $20.00\nINV-1 · Dec 9, 2026 · $10.00\nTotal $60.00\n--\nfooter');
    expect(mails[0].attachments).toEqual([expect.objectContaining({ filename: 'statement-2026-12-10.pdf', contentType: 'application/pdf' })]);
    expect(mails[0].attachments![0].content.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });
});

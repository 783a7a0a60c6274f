import { addDays } from '../../src/domain/dates';
import { createCustomer, createInvoice } from '../support/ledger';
import { mailsTo, waitForMails } from '../support/mail';
import { sql } from '../support/db';
import { collectionsStack } from '../support/collections';

/**
 * The planner's skips through the real worker: a suppressed address, a disputed invoice and a promise to pay hold the
 * step back and are recorded `skipped` with their reason in the run's deliveries; the key is not taken for good: once
 * the reason is gone (the suppression removed, the promise broken), the next run sends the step.
 */
describe('deliveries skipped with a reason, and taken again when the reason is gone', () => {
  const ctx = collectionsStack('delivery-skips');
  const { runNow } = ctx;

  /** A sequence over one customer's invoice that is due yesterday: step 2 (day +1) falls today. */
  async function sequenceOverOne(name: string) {
    const customer = await createCustomer(ctx.tenant.admin, { name, email: `${name.toLowerCase().replace(/\W+/g, '-')}-${Date.now()}@skips.test` });
    const invoice = await createInvoice(ctx.tenant.admin, customer.id, { amount: '120.00', issueDate: addDays(ctx.today, -31), dueDate: addDays(ctx.today, -1) });
    const def = await ctx.tenant.admin.post('/v1/workflows', {
      templateKey: 'collection-sequence', name: `Dunning ${name}`, activate: true,
      conditions: [{ field: 'customerId', op: 'in', value: [customer.id] }],
      steps: [
        { offsetDays: -3, subject: 'Soon: {{invoiceNumber}}', body: 'Due soon.' },
        { offsetDays: 1, subject: 'Late: {{invoiceNumber}}', body: 'Past due.' },
      ],
    });
    expect(def.status).toBe(201);
    return { customer, invoice, definitionId: def.body.id as string, email: String(customer.email).toLowerCase() };
  }

  const messagesOf = (invoiceId: string) => sql(
    'SELECT direction, kind, to_address, subject, body_text, delivery_key FROM invoice_messages WHERE invoice_id = $1 ORDER BY created_at, id', [invoiceId]);

  const deliveriesOf = async (runId: string) => (await ctx.tenant.admin.get(`/v1/workflow-runs/${runId}/deliveries`)).body.data as Array<Record<string, unknown>>;

  it('a suppressed address: recorded skipped (suppressed), nothing sent; removed, the next run sends the step', async () => {
    const s = await sequenceOverOne('Bounced Buyer');
    const [suppression] = await sql<{ id: string }>(
      `INSERT INTO suppressions (company_id, address, origin, reason) VALUES ($1, $2, 'bounce', '550 5.1.1 no such user') RETURNING id`,
      [ctx.tenant.company.id, s.email]);
    const first = await runNow(s.definitionId);
    expect(first).toMatchObject({ matched: 1, delivered: 0, skipped: 1, failed: 0 });
    expect(await deliveriesOf(first.runRecordId!)).toEqual([
      expect.objectContaining({ recordId: s.invoice.id, occurrence: 'step-2', channel: 'email', recipient: s.email, status: 'skipped', skipReason: 'suppressed' }),
    ]);
    expect(await mailsTo(s.email)).toEqual([]);

    await sql('DELETE FROM suppressions WHERE id = $1', [suppression.id]);
    const second = await runNow(s.definitionId);
    expect(second).toMatchObject({ matched: 1, delivered: 1, skipped: 0 });
    expect((await waitForMails(s.email, 1)).map((m) => m.subject)).toEqual([`Late: ${s.invoice.number}`]);
    expect(await deliveriesOf(second.runRecordId!)).toEqual([expect.objectContaining({ status: 'sent', skipReason: null })]);
    // What went out is kept on the invoice, once, with the delivery it was; the skip is not a message.
    expect(await messagesOf(s.invoice.id)).toEqual([
      { direction: 'out', kind: 'reminder', to_address: s.email, subject: `Late: ${s.invoice.number}`, body_text: expect.stringMatching(/^Past due\./), delivery_key: expect.stringContaining('|step-2|email|') },
    ]);
  });

  it('keeps the invoice itself sent through the API on the invoice, as a message out', async () => {
    const customer = await createCustomer(ctx.tenant.admin, { name: 'Sent To' });
    const invoice = await createInvoice(ctx.tenant.admin, customer.id, { amount: '80.00', issueDate: addDays(ctx.today, -1), dueDate: addDays(ctx.today, 30) });
    expect((await ctx.tenant.admin.post(`/v1/invoices/${invoice.id}/send`)).status).toBe(200);
    expect(await messagesOf(invoice.id)).toEqual([
      expect.objectContaining({ direction: 'out', kind: 'invoice', to_address: String(customer.email).toLowerCase(), subject: expect.stringContaining(invoice.number) }),
    ]);
  });

  it('a disputed invoice and a promise to pay are recorded skipped with their reason; a broken promise sends the step', async () => {
    const disputed = await sequenceOverOne('Disputing Buyer');
    await sql('UPDATE invoices SET disputed_at = now() WHERE id = $1', [disputed.invoice.id]);
    const promised = await sequenceOverOne('Promising Buyer');
    await sql('UPDATE invoices SET promised_on = $2 WHERE id = $1', [promised.invoice.id, addDays(ctx.today, 5)]);
    for (const [s, reason] of [[disputed, 'disputed'], [promised, 'promised']] as const) {
      const run = await runNow(s.definitionId);
      expect(run).toMatchObject({ matched: 1, delivered: 0, skipped: 1 });
      expect(await deliveriesOf(run.runRecordId!)).toEqual([expect.objectContaining({ status: 'skipped', skipReason: reason })]);
    }
    // Promised three days ago: the two days of grace are over and it is still unpaid.
    await sql('UPDATE invoices SET promised_on = $2 WHERE id = $1', [promised.invoice.id, addDays(ctx.today, -3)]);
    expect(await runNow(promised.definitionId)).toMatchObject({ delivered: 1, skipped: 0 });
    expect(await waitForMails(promised.email, 1)).toHaveLength(1);
    expect(await mailsTo(disputed.email)).toEqual([]);
  });
});

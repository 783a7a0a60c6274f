import { addDays } from '../../src/domain/dates';
import { sql } from '../support/db';
import { collectionsStack } from '../support/collections';
import { createCustomer, createInvoice } from '../support/ledger';
import { mailsTo, waitForMails } from '../support/mail';

/** The next collection run after a suppression: nothing is sent to the address, and the run says why. */
describe('a collection run and suppressed addresses', () => {
  const ctx = collectionsStack('suppressions-sweep');

  it('sends nothing to a suppressed address and still mails the others', async () => {
    const gone = await createCustomer(ctx.tenant.admin, { name: 'Gone' });
    const fine = await createCustomer(ctx.tenant.admin, { name: 'Fine' });
    const due = { issueDate: addDays(ctx.today, -40), dueDate: addDays(ctx.today, -1) };
    const lost = await createInvoice(ctx.tenant.admin, gone.id, due);
    const kept = await createInvoice(ctx.tenant.admin, fine.id, due);
    await sql(`INSERT INTO suppressions (company_id, address, origin, reason) VALUES ($1, $2, 'bounce', '5.1.1 user unknown')`,
      [ctx.tenant.companyId, gone.email]);

    const created = await ctx.tenant.admin.post('/v1/workflows', {
      templateKey: 'collection-sequence', name: 'Dunning', activate: true,
      steps: [{ offsetDays: 1, subject: '{{invoiceNumber}} is past due', body: 'Hello {{customerName}}.' }],
      conditions: [{ field: 'customerId', op: 'in', value: [gone.id, fine.id] }],
    });
    expect(created.status).toBe(201);
    expect(await ctx.runNow(created.body.id)).toMatchObject({ matched: 2, delivered: 1, skipped: 1, failed: 0 });

    await waitForMails(fine.email, 1);
    expect(await mailsTo(gone.email)).toEqual([]);
    expect(await sql(`SELECT status FROM deliveries WHERE record_id = $1 AND channel = 'email'`, [kept.id])).toEqual([{ status: 'sent' }]);
    expect(await sql(`SELECT channel, status, skip_reason FROM deliveries WHERE record_id = $1`, [lost.id]))
      .toEqual([{ channel: 'email', status: 'skipped', skip_reason: 'suppressed' }]);
  });
});

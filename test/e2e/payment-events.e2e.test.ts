import { randomUUID } from 'node:crypto';
import { closeDb, sql } from '../support/db';
import { createTenant, Tenant } from '../support/fixtures';
import { Http } from '../support/http';
import { mailsTo, waitForMails } from '../support/mail';
import { Stack } from '../support/stack';

// A payment's automations survive a request that commits the payment but never reaches Temporal: the worker
// dispatches what is left undispatched, once.
describe('payment events: dispatched after commit, caught up by the worker', () => {
  // The minimum age keeps this suite's worker off payments that other suites' APIs are dispatching right now.
  const stack = new Stack('payment-events', { RELANCE_PAYMENT_DISPATCH_INTERVAL_MS: '300', RELANCE_PAYMENT_DISPATCH_MIN_AGE_MS: '2000' });
  let tenant: Tenant;

  beforeAll(async () => {
    await stack.start();
    tenant = await createTenant(new Http(stack.baseUrl));
    const def = await tenant.admin.post('/v1/workflows', {
      templateKey: 'payment-received', name: 'Thanks',
      actions: [{ type: 'email', to: 'customer', subject: 'Received {{money paymentAmount}}', body: 'Invoice {{invoiceNumber}}' }],
      activate: true,
    });
    expect(def.status).toBe(201);
  });
  afterAll(async () => {
    await closeDb();
    await stack.stop();
  });

  async function invoiceFor(email: string) {
    const customer = await tenant.admin.post('/v1/customers', { name: 'Payer', email });
    const invoice = await tenant.admin.post('/v1/invoices', {
      number: `PE-${randomUUID().slice(0, 8)}`, customerId: customer.body.id, amount: '500.00', dueDate: '2099-01-01',
    });
    expect(invoice.status).toBe(201);
    return { customerId: customer.body.id as string, invoiceId: invoice.body.id as string };
  }

  async function dispatchedAt(paymentId: string) {
    const [row] = await sql<{ events_dispatched_at: Date | null }>('SELECT events_dispatched_at FROM payments WHERE id = $1', [paymentId]);
    return row.events_dispatched_at;
  }

  it('dispatches a payment recorded through the API once: the worker sweeping afterwards starts nothing more', async () => {
    const email = `api-${randomUUID().slice(0, 8)}@client.test`;
    const { invoiceId } = await invoiceFor(email);
    const payment = await tenant.admin.post('/v1/payments', { invoiceId, amount: '100.00' });
    expect(payment.status).toBe(201);
    expect((await waitForMails(email, 1)).map((m) => m.subject)).toEqual(['Received CA$100.00']);
    expect(await dispatchedAt(payment.body.id)).toBeInstanceOf(Date);
    await new Promise((r) => setTimeout(r, 3000));
    expect(await mailsTo(email)).toHaveLength(1);
  });

  it('dispatches a committed payment that the API never handed to Temporal', async () => {
    const email = `orphan-${randomUUID().slice(0, 8)}@client.test`;
    const { customerId, invoiceId } = await invoiceFor(email);
    // What a request leaves behind when it dies between the commit and the dispatch.
    const [payment] = await sql<{ id: string }>(
      `INSERT INTO payments (company_id, invoice_id, customer_id, amount, received_at) VALUES ($1, $2, $3, '75.00', now()) RETURNING id`,
      [tenant.companyId, invoiceId, customerId],
    );
    expect(await dispatchedAt(payment.id)).toBeNull();
    expect((await waitForMails(email, 1)).map((m) => m.subject)).toEqual(['Received CA$75.00']);
    expect(await dispatchedAt(payment.id)).toBeInstanceOf(Date);
    await new Promise((r) => setTimeout(r, 1000));
    expect(await mailsTo(email)).toHaveLength(1);
  });
});

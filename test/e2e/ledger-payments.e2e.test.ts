import { closeDb, sql } from '../support/db';
import { createTenant, createUser, Tenant } from '../support/fixtures';
import { Http } from '../support/http';
import { createCustomer, createInvoice, createPayment, createVendor } from '../support/ledger';
import { Stack } from '../support/stack';

describe('bills, payments and deposits', () => {
  const stack = new Stack('ledger-payments');
  let http: Http;
  let tenant: Tenant;
  let other: Tenant;
  let customer: { id: string };

  beforeAll(async () => {
    await stack.start();
    http = new Http(stack.baseUrl);
    tenant = await createTenant(http);
    other = await createTenant(http);
    customer = await createCustomer(tenant.admin);
  });
  afterAll(async () => {
    await closeDb();
    await stack.stop();
  });

  describe('bills', () => {
    it('records, lists with filters, edits, pays and deletes bills', async () => {
      const t = await createTenant(http);
      const vendor = await createVendor(t.admin);
      const another = await createVendor(t.admin);
      const res = await t.admin.post('/v1/bills', { vendorId: vendor.id, number: 'V-1', amount: '480', issueDate: '2026-12-01', dueDate: '2026-12-15', memo: 'Paper' });
      expect(res.status).toBe(201);
      const bill = res.body;
      expect(bill).toMatchObject({ vendorId: vendor.id, number: 'V-1', amount: '480.00', balance: '480.00', paidAt: null, dueDate: '2026-12-15', memo: 'Paper' });
      const later = (await t.admin.post('/v1/bills', { vendorId: another.id, amount: '20.00', dueDate: '2027-01-15' })).body;
      expect(later.issueDate).toBeNull();

      const edited = await t.admin.patch(`/v1/bills/${bill.id}`, { amount: '500.00', dueDate: '2026-12-20' });
      expect(edited.body).toMatchObject({ amount: '500.00', balance: '500.00', dueDate: '2026-12-20' });

      const paid = await t.admin.post(`/v1/bills/${bill.id}/pay`, { paidAt: '2026-12-14T16:00:00Z' });
      expect(paid.status).toBe(200);
      expect(paid.body).toMatchObject({ balance: '0.00', paidAt: '2026-12-14T16:00:00.000Z', amount: '500.00' });
      const again = await t.admin.post(`/v1/bills/${bill.id}/pay`);
      expect(again.status).toBe(409);
      expect(again.body.message).toBe(`bill ${bill.id} is already paid`);
      expect((await t.admin.patch(`/v1/bills/${bill.id}`, { amount: '1.00' })).status).toBe(409);

      const ids = async (q: string) => (await t.admin.get(`/v1/bills?${q}`)).body.data.map((b: { id: string }) => b.id);
      expect(await ids('paid=true')).toEqual([bill.id]);
      expect(await ids('paid=false')).toEqual([later.id]);
      expect(await ids(`vendorId=${another.id}`)).toEqual([later.id]);
      expect(await ids('dueFrom=2027-01-01')).toEqual([later.id]);
      expect(await ids('dueTo=2026-12-31')).toEqual([bill.id]);
      expect(await ids('limit=1')).toEqual([bill.id]);

      const sam = await createUser(t, 'standard');
      expect((await sam.http.delete(`/v1/bills/${later.id}`)).status).toBe(403);
      expect((await t.admin.delete(`/v1/bills/${later.id}`)).status).toBe(204);
      expect((await t.admin.get(`/v1/bills/${later.id}`)).status).toBe(404);
    });

    it.each([
      [{ amount: 480 }, 400, /amount must be a decimal string .* not a JSON number/],
      [{ amount: '4.801' }, 400, /amount has more than two decimals/],
      [{ dueDate: 'tomorrow' }, 400, /dueDate must be a calendar date/],
      [{ issueDate: '2026-12-20', dueDate: '2026-12-01' }, 400, /dueDate \(2026-12-01\) must not be before issueDate/],
      [{ vendorId: undefined }, 400, /vendorId must be an id/],
      [{ paidAt: '2026-12-01T00:00:00Z' }, 400, /property paidAt should not exist/],
    ])('refuses a bad bill %#', async (body, status, message) => {
      const vendor = await createVendor(tenant.admin);
      const res = await tenant.admin.post('/v1/bills', { vendorId: vendor.id, amount: '10.00', dueDate: '2026-12-31', ...body });
      expect(res.status).toBe(status);
      expect(res.body.message).toMatch(message);
      expect(await sql('SELECT 1 FROM bills WHERE vendor_id = $1', [vendor.id])).toHaveLength(0);
    });

    it('refuses another company\'s vendor (404) and never touches another company\'s bill', async () => {
      const theirVendor = await createVendor(other.admin);
      const byVendor = await tenant.admin.post('/v1/bills', { vendorId: theirVendor.id, amount: '1.00', dueDate: '2026-12-31' });
      expect(byVendor.status).toBe(404);
      expect(byVendor.body.message).toBe(`vendor ${theirVendor.id} not found`);
      const theirs = (await other.admin.post('/v1/bills', { vendorId: theirVendor.id, amount: '99.00', dueDate: '2026-12-31' })).body;
      for (const res of [
        await tenant.admin.get(`/v1/bills/${theirs.id}`),
        await tenant.admin.patch(`/v1/bills/${theirs.id}`, { amount: '1.00' }),
        await tenant.admin.post(`/v1/bills/${theirs.id}/pay`),
        await tenant.admin.delete(`/v1/bills/${theirs.id}`),
      ]) {
        expect(res.status).toBe(404);
        expect(res.body.message).toBe(`bill ${theirs.id} not found`);
      }
      expect((await other.admin.get(`/v1/bills/${theirs.id}`)).body).toEqual(theirs);
      expect((await tenant.admin.get('/v1/bills/nope')).status).toBe(400);
    });
  });

  describe('payments', () => {
    it('lowers the invoice balance, lists by invoice and reads back', async () => {
      const invoice = await createInvoice(tenant.admin, customer.id, { amount: '300.00' });
      const res = await tenant.admin.post('/v1/payments', { invoiceId: invoice.id, amount: '120.5', receivedAt: '2026-12-10T15:30:00Z', method: 'check' });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        invoiceId: invoice.id, customerId: customer.id, amount: '120.50', receivedAt: '2026-12-10T15:30:00.000Z',
        depositedAt: null, depositId: null, method: 'check',
      });
      expect((await tenant.admin.get(`/v1/invoices/${invoice.id}`)).body.balance).toBe('179.50');
      await createPayment(tenant.admin, invoice.id, '179.50');
      expect((await tenant.admin.get(`/v1/invoices/${invoice.id}`)).body.balance).toBe('0.00');
      const list = await tenant.admin.get(`/v1/payments?invoiceId=${invoice.id}`);
      expect(list.body.data.map((p: { amount: string }) => p.amount)).toEqual(['120.50', '179.50']);
      expect((await tenant.admin.get(`/v1/payments/${res.body.id}`)).body).toEqual(res.body);
    });

    it('refuses a payment above the balance with 422 and changes nothing', async () => {
      const invoice = await createInvoice(tenant.admin, customer.id, { amount: '100.00' });
      await createPayment(tenant.admin, invoice.id, '60.00');
      const res = await tenant.admin.post('/v1/payments', { invoiceId: invoice.id, amount: '40.01' });
      expect(res.status).toBe(422);
      expect(res.body.message).toBe(`amount 40.01 exceeds the balance 40.00 of invoice ${invoice.number}`);
      expect((await tenant.admin.get(`/v1/invoices/${invoice.id}`)).body.balance).toBe('40.00');
      expect((await tenant.admin.get(`/v1/payments?invoiceId=${invoice.id}`)).body.data).toHaveLength(1);
    });

    it.each([
      [{ amount: '0.00' }, /amount must be more than 0.00/],
      [{ amount: '-5.00' }, /amount must not be negative/],
      [{ amount: 5 }, /not a JSON number/],
      [{ amount: '5.555' }, /more than two decimals/],
      [{ amount: 'five' }, /amount must be a decimal string/],
      [{ receivedAt: 'yesterday' }, /receivedAt must be an ISO 8601 date-time/],
      [{ receivedAt: null }, /receivedAt must be an ISO 8601 date-time/],
      [{ invoiceId: 'abc' }, /invoiceId must be an id/],
      [{ balance: '0' }, /property balance should not exist/],
    ])('refuses a bad payment with 400 (%#)', async (body, message) => {
      const invoice = await createInvoice(tenant.admin, customer.id, { amount: '100.00' });
      const res = await tenant.admin.post('/v1/payments', { invoiceId: invoice.id, amount: '10.00', ...body });
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(message);
      expect((await tenant.admin.get(`/v1/invoices/${invoice.id}`)).body.balance).toBe('100.00');
    });

    it('lets exactly the payments that fit through when they race for the same balance', async () => {
      const pair = await createInvoice(tenant.admin, customer.id, { amount: '100.00' });
      const two = await Promise.all([0, 1].map(() => tenant.admin.post('/v1/payments', { invoiceId: pair.id, amount: '60.00' })));
      expect(two.map((r) => r.status).sort()).toEqual([201, 422]);
      expect((await tenant.admin.get(`/v1/invoices/${pair.id}`)).body.balance).toBe('40.00');

      const many = await createInvoice(tenant.admin, customer.id, { amount: '100.00' });
      const ten = await Promise.all(Array.from({ length: 10 }, () => tenant.admin.post('/v1/payments', { invoiceId: many.id, amount: '30.00' })));
      expect(ten.filter((r) => r.status === 201)).toHaveLength(3);
      expect(ten.filter((r) => r.status === 422)).toHaveLength(7);
      expect((await tenant.admin.get(`/v1/invoices/${many.id}`)).body.balance).toBe('10.00');
      const [{ paid }] = await sql<{ paid: string }>('SELECT sum(amount)::text AS paid FROM payments WHERE invoice_id = $1', [many.id]);
      expect(paid).toBe('90.00');
    });

    it('never shows another company\'s payment', async () => {
      const theirCustomer = await createCustomer(other.admin);
      const theirInvoice = await createInvoice(other.admin, theirCustomer.id);
      const theirs = await createPayment(other.admin, theirInvoice.id, '5.00');
      const res = await tenant.admin.get(`/v1/payments/${theirs.id}`);
      expect(res.status).toBe(404);
      expect(res.body.message).toBe(`payment ${theirs.id} not found`);
      expect((await tenant.admin.get(`/v1/payments?invoiceId=${theirInvoice.id}`)).body.data).toEqual([]);
    });
  });

  describe('deposits', () => {
    it('groups undeposited payments into a deposit; they leave the undeposited funds', async () => {
      const t = await createTenant(http);
      const c = await createCustomer(t.admin);
      const invoice = await createInvoice(t.admin, c.id, { amount: '1000.00' });
      const p1 = await createPayment(t.admin, invoice.id, '100.10');
      const p2 = await createPayment(t.admin, invoice.id, '200.20');
      const p3 = await createPayment(t.admin, invoice.id, '300.30');
      const undeposited = async () => (await t.admin.get('/v1/payments?deposited=false')).body.data.map((p: { id: string }) => p.id);
      expect(await undeposited()).toEqual([p1.id, p2.id, p3.id]);

      const res = await t.admin.post('/v1/deposits', { paymentIds: [p3.id, p1.id], depositedAt: '2026-12-11T10:00:00Z', memo: 'Slip 42' });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ amount: '400.40', depositedAt: '2026-12-11T10:00:00.000Z', memo: 'Slip 42' });
      expect([...res.body.paymentIds].sort()).toEqual([p1.id, p3.id].sort());
      expect(await undeposited()).toEqual([p2.id]);
      expect((await t.admin.get('/v1/payments?deposited=true')).body.data.map((p: { depositId: string }) => p.depositId)).toEqual([res.body.id, res.body.id]);
      expect((await t.admin.get(`/v1/payments/${p1.id}`)).body).toMatchObject({ depositId: res.body.id, depositedAt: '2026-12-11T10:00:00.000Z' });
      expect((await t.admin.get(`/v1/deposits/${res.body.id}`)).body).toEqual(res.body);
      expect((await t.admin.get('/v1/deposits')).body).toEqual({ data: [res.body], nextCursor: null });

      const twice = await t.admin.post('/v1/deposits', { paymentIds: [p2.id, p1.id] });
      expect(twice.status).toBe(409);
      expect(twice.body.message).toContain(`${p1.id} (deposit ${res.body.id})`);
      expect(await undeposited()).toEqual([p2.id]);
    });

    it('refuses another company\'s payments (404) and bad bodies (400), depositing nothing', async () => {
      const theirCustomer = await createCustomer(other.admin);
      const theirInvoice = await createInvoice(other.admin, theirCustomer.id);
      const theirs = await createPayment(other.admin, theirInvoice.id, '5.00');
      const invoice = await createInvoice(tenant.admin, customer.id);
      const mine = await createPayment(tenant.admin, invoice.id, '5.00');
      const res = await tenant.admin.post('/v1/deposits', { paymentIds: [mine.id, theirs.id] });
      expect(res.status).toBe(404);
      expect(res.body.message).toBe(`payment(s) not found: ${theirs.id}`);
      for (const [body, message] of [
        [{ paymentIds: [] }, /at least one payment/],
        [{ paymentIds: [mine.id, mine.id] }, /must not list a payment twice/],
        [{ paymentIds: ['x'] }, /each of paymentIds must be an id/],
        [{ paymentIds: mine.id }, /paymentIds must be an array/],
        [{ paymentIds: [mine.id], depositedAt: 'soon' }, /depositedAt must be an ISO 8601 date-time/],
      ] as const) {
        const bad = await tenant.admin.post('/v1/deposits', body);
        expect(bad.status).toBe(400);
        expect(bad.body.message).toMatch(message);
      }
      expect((await tenant.admin.get(`/v1/payments/${mine.id}`)).body.depositId).toBeNull();
      expect((await other.admin.get(`/v1/payments/${theirs.id}`)).body.depositId).toBeNull();
    });
  });
});

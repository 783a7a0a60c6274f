import { randomUUID } from 'node:crypto';
import { closeDb, sql } from '../support/db';
import { createTenant, createUser, Tenant } from '../support/fixtures';
import { Http } from '../support/http';
import { createCustomer, createInvoice } from '../support/ledger';
import { mailsTo } from '../support/mail';
import { Stack } from '../support/stack';

/** Suppressed addresses, a customer's email status and locale, and an invoice's messages, through the API. */
describe('suppressions and invoice messages', () => {
  const stack = new Stack('suppressions');
  let http: Http;
  let tenant: Tenant;
  let sam: Awaited<ReturnType<typeof createUser>>;

  beforeAll(async () => {
    await stack.start();
    http = new Http(stack.baseUrl);
    tenant = await createTenant(http);
    sam = await createUser(tenant, 'standard', 'Sam');
  });
  afterAll(async () => {
    await closeDb();
    await stack.stop();
  });

  /** What a hard bounce leaves (the inbound route's part): the suppression and the customer's status. */
  async function suppress(t: Tenant, customer: { id: string; email: string }, origin = 'bounce', reason = '5.1.1 user unknown') {
    const [row] = await sql<{ id: string }>(
      `INSERT INTO suppressions (company_id, address, origin, reason) VALUES ($1, $2, $3, $4) RETURNING id`,
      [t.companyId, customer.email, origin, reason]);
    await sql(`UPDATE customers SET email_status = 'bounced' WHERE id = $1`, [customer.id]);
    return row.id;
  }

  it('lists the company\'s suppressions, newest first, by address, and never another company\'s', async () => {
    const a = await createCustomer(tenant.admin);
    const b = await createCustomer(tenant.admin);
    const first = await suppress(tenant, a);
    const second = await suppress(tenant, b, 'complaint', 'complaint (abuse)');
    const other = await createTenant(http);
    await suppress(other, await createCustomer(other.admin));

    const all = await sam.http.get('/v1/suppressions?limit=200');
    expect(all.status).toBe(200);
    expect(all.body.data.map((s: { id: string }) => s.id)).toEqual([second, first]);
    expect(all.body.data[0]).toEqual({
      id: second, address: b.email, origin: 'complaint', reason: 'complaint (abuse)', deliveryKey: null, createdAt: expect.any(String),
    });
    const byAddress = await sam.http.get(`/v1/suppressions?address=${encodeURIComponent(a.email.toUpperCase())}`);
    expect(byAddress.body.data.map((s: { id: string }) => s.id)).toEqual([first]);
    const paged = await sam.http.get('/v1/suppressions?limit=1');
    expect(paged.body.data.map((s: { id: string }) => s.id)).toEqual([second]);
    const next = await sam.http.get(`/v1/suppressions?limit=1&cursor=${paged.body.nextCursor}`);
    expect(next.body.data.map((s: { id: string }) => s.id)).toEqual([first]);
  });

  it('refuses the routes of listening to an anonymous caller, a former employee and another tenant, and changes nothing', async () => {
    const customer = await createCustomer(tenant.admin);
    const suppression = await suppress(tenant, customer);
    const invoice = await createInvoice(tenant.admin, customer.id);
    await sql(`INSERT INTO invoice_disputes (company_id, invoice_id, reason) VALUES ($1, $2, 'never delivered')`, [tenant.companyId, invoice.id]);
    await sql('UPDATE invoices SET disputed_at = now() WHERE id = $1', [invoice.id]);
    const leaver = await createUser(tenant, 'admin', 'Lee');
    expect((await tenant.admin.post(`/v1/users/${leaver.id}/deactivate`, {})).status).toBe(200);
    const other = await createTenant(http);
    const call = (as: Http, method: 'get' | 'delete' | 'post', path: string, body?: unknown) =>
      (method === 'post' ? as.post(path, body) : as[method](path));
    const calls: Array<['get' | 'delete' | 'post', string, unknown?]> = [
      ['get', '/v1/suppressions'],
      ['delete', `/v1/suppressions/${suppression}`],
      ['get', `/v1/invoices/${invoice.id}/messages`],
      ['post', `/v1/invoices/${invoice.id}/dispute/resolve`, { resolution: 'not mine to resolve' }],
    ];
    for (const [method, path, body] of calls) {
      const anonymous = await call(http, method, path, body);
      const former = await call(leaver.http, method, path, body);
      expect({ path, anonymous: anonymous.status, former: former.status }).toEqual({ path, anonymous: 401, former: 401 });
      if (path !== '/v1/suppressions') expect({ path, tenant: (await call(other.admin, method, path, body)).status }).toEqual({ path, tenant: 404 });
    }
    expect(await sql('SELECT 1 FROM suppressions WHERE id = $1', [suppression])).toHaveLength(1);
    expect(await sql('SELECT 1 FROM invoice_disputes WHERE invoice_id = $1 AND resolved_at IS NULL', [invoice.id])).toHaveLength(1);
    expect((await other.admin.get('/v1/suppressions')).body.data).toEqual([]);
  });

  it('lets only admins delete a suppression; the customer\'s status is ok again and the trail has it', async () => {
    const customer = await createCustomer(tenant.admin);
    const id = await suppress(tenant, customer);
    expect((await tenant.admin.get(`/v1/customers/${customer.id}`)).body).toMatchObject({ emailStatus: 'bounced' });

    const refused = await sam.http.delete(`/v1/suppressions/${id}`);
    expect(refused.status).toBe(403);
    expect((await sql('SELECT 1 FROM suppressions WHERE id = $1', [id]))).toHaveLength(1);

    expect((await tenant.admin.delete(`/v1/suppressions/${id}`)).status).toBe(204);
    expect((await tenant.admin.delete(`/v1/suppressions/${id}`)).status).toBe(404);
    expect((await tenant.admin.get(`/v1/customers/${customer.id}`)).body).toMatchObject({ emailStatus: 'ok' });
    const trail = await tenant.admin.get('/v1/audit-events?type=suppression.deleted');
    expect(trail.body.data).toEqual([expect.objectContaining({
      type: 'suppression.deleted', targetType: 'suppression', targetId: id, actorId: tenant.adminId, data: { origin: 'bounce' },
    })]);

    const other = await createTenant(http);
    const theirs = await suppress(other, await createCustomer(other.admin));
    expect((await tenant.admin.delete(`/v1/suppressions/${theirs}`)).status).toBe(404);
    expect((await tenant.admin.delete('/v1/suppressions/abc')).status).toBe(400);
  });

  it('refuses to send an invoice to a suppressed address with a 409 naming the suppression, and sends nothing', async () => {
    const customer = await createCustomer(tenant.admin);
    const invoice = await createInvoice(tenant.admin, customer.id);
    const id = await suppress(tenant, customer);
    const res = await tenant.admin.post(`/v1/invoices/${invoice.id}/send`);
    expect(res.status).toBe(409);
    expect(res.body.message).toBe(
      `${customer.email} is suppressed (suppression ${id}, bounce: 5.1.1 user unknown): nothing is sent to it until an admin deletes the suppression`);
    expect(await sql('SELECT 1 FROM deliveries WHERE record_id = $1', [invoice.id])).toEqual([]);
    expect(await mailsTo(customer.email)).toEqual([]);
    expect((await tenant.admin.get(`/v1/invoices/${invoice.id}`)).body.sentAt).toBeNull();
  });

  it('answers a customer\'s emailStatus and takes a supported locale', async () => {
    const customer = await createCustomer(tenant.admin, { locale: 'fr-CA' });
    expect(customer).toMatchObject({ emailStatus: 'ok', locale: 'fr-CA' });
    const cleared = await tenant.admin.patch(`/v1/customers/${customer.id}`, { locale: null });
    expect(cleared.body).toMatchObject({ locale: null });
    const bad = await tenant.admin.patch(`/v1/customers/${customer.id}`, { locale: 'de-DE' });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toBe('locale must be one of en-US, fr-CA');
    const readOnly = await tenant.admin.patch(`/v1/customers/${customer.id}`, { emailStatus: 'ok' });
    expect(readOnly.status).toBe(400);
  });

  it('moves a customer\'s emailStatus with its address: a suppressed one is bounced, another is ok', async () => {
    const customer = await createCustomer(tenant.admin);
    const gone = await createCustomer(tenant.admin);
    await suppress(tenant, gone);
    const moved = await tenant.admin.patch(`/v1/customers/${customer.id}`, { email: gone.email });
    expect(moved.body).toMatchObject({ emailStatus: 'bounced' });
    const fixed = await tenant.admin.patch(`/v1/customers/${customer.id}`, { email: `new-${randomUUID().slice(0, 8)}@globex.test` });
    expect(fixed.body).toMatchObject({ emailStatus: 'ok' });
  });

  it('lists an invoice\'s messages out and in, in order, as plain text, paged', async () => {
    const customer = await createCustomer(tenant.admin);
    const invoice = await createInvoice(tenant.admin, customer.id);
    const insert = (direction: string, kind: string, subject: string, body: string, at: string) => sql<{ id: string }>(
      `INSERT INTO invoice_messages (company_id, invoice_id, direction, kind, delivery_key, from_address, to_address, subject, body_text, created_at)
       VALUES ($1, $2, $3, $4, 'k', $5, $6, $7, $8, $9) RETURNING id`,
      [tenant.companyId, invoice.id, direction, kind, direction === 'in' ? customer.email : 'billing@acme.test',
        direction === 'in' ? 'billing@acme.test' : customer.email, subject, body, at]).then((r) => r[0].id);
    const reply = await insert('in', 'reply', 'Re: overdue', 'We paid on Tuesday <b>really</b>', '2026-12-02T10:00:00Z');
    const reminder = await insert('out', 'reminder', 'Invoice overdue', 'Please pay', '2026-12-01T10:00:00Z');

    const res = await sam.http.get(`/v1/invoices/${invoice.id}/messages`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      data: [
        { id: reminder, direction: 'out', kind: 'reminder', deliveryKey: 'k', from: 'billing@acme.test', to: customer.email, subject: 'Invoice overdue', text: 'Please pay', createdAt: '2026-12-01T10:00:00.000Z' },
        { id: reply, direction: 'in', kind: 'reply', deliveryKey: 'k', from: customer.email, to: 'billing@acme.test', subject: 'Re: overdue', text: 'We paid on Tuesday <b>really</b>', createdAt: '2026-12-02T10:00:00.000Z' },
      ],
      nextCursor: null,
    });
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const first = await sam.http.get(`/v1/invoices/${invoice.id}/messages?limit=1`);
    expect(first.body.data.map((m: { id: string }) => m.id)).toEqual([reminder]);
    const second = await sam.http.get(`/v1/invoices/${invoice.id}/messages?limit=1&cursor=${first.body.nextCursor}`);
    expect(second.body.data.map((m: { id: string }) => m.id)).toEqual([reply]);

    const other = await createTenant(http);
    expect((await other.admin.get(`/v1/invoices/${invoice.id}/messages`)).status).toBe(404);
  });
});

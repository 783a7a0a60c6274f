import { closeDb } from '../support/db';
import { createTenant, createUser, Tenant } from '../support/fixtures';
import { Http } from '../support/http';
import { createCustomer, createInvoice, createVendor } from '../support/ledger';
import { Stack } from '../support/stack';

describe('customers, vendors and locations', () => {
  const stack = new Stack('ledger-parties');
  let http: Http;
  let tenant: Tenant;
  let other: Tenant;

  beforeAll(async () => {
    await stack.start();
    http = new Http(stack.baseUrl);
    tenant = await createTenant(http);
    other = await createTenant(http);
  });
  afterAll(async () => {
    await closeDb();
    await stack.stop();
  });

  it('creates, reads, edits, lists by group and deletes customers', async () => {
    const t = await createTenant(http);
    const res = await t.admin.post('/v1/customers', { name: ' Globex ', email: 'Billing@Globex.test', group: 'wholesale' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: 'Globex', email: 'billing@globex.test', group: 'wholesale' });
    const retail = await createCustomer(t.admin, { group: 'retail' });
    const none = await createCustomer(t.admin, { email: null });
    expect(none).toMatchObject({ email: null, group: null });
    expect((await t.admin.get(`/v1/customers/${res.body.id}`)).body).toEqual(res.body);

    const byGroup = await t.admin.get('/v1/customers?group=retail');
    expect(byGroup.body.data.map((c: { id: string }) => c.id)).toEqual([retail.id]);
    const byEmail = await t.admin.get('/v1/customers?email=BILLING@globex.test');
    expect(byEmail.body.data.map((c: { id: string }) => c.id)).toEqual([res.body.id]);
    const page = await t.admin.get('/v1/customers?limit=2');
    expect(page.body.data).toHaveLength(2);
    const rest = await t.admin.get(`/v1/customers?limit=2&cursor=${page.body.nextCursor}`);
    expect(rest.body).toEqual({ data: [expect.objectContaining({ id: none.id })], nextCursor: null });

    const edited = await t.admin.patch(`/v1/customers/${res.body.id}`, { group: null, email: 'ap@globex.test' });
    expect(edited.body).toMatchObject({ name: 'Globex', group: null, email: 'ap@globex.test' });
    expect((await t.admin.delete(`/v1/customers/${none.id}`)).status).toBe(204);
    expect((await t.admin.get(`/v1/customers/${none.id}`)).status).toBe(404);
  });

  it.each([
    [{ name: '' }, /name must not be empty/],
    [{ name: 12 }, /name must be a string/],
    [{}, /name must be a string/],
    [{ name: 'X', email: 'not-an-email' }, /email must be an email address/],
    [{ name: 'X', group: 5 }, /group must be a string/],
    [{ name: 'X', vip: true }, /property vip should not exist/],
  ])('refuses a bad customer with 400 (%#)', async (body, message) => {
    const res = await tenant.admin.post('/v1/customers', body);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request', message: expect.stringMatching(message) });
  });

  it('refuses to null a customer\'s name', async () => {
    const c = await createCustomer(tenant.admin);
    const res = await tenant.admin.patch(`/v1/customers/${c.id}`, { name: null });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/name must be a string/);
    expect((await tenant.admin.get(`/v1/customers/${c.id}`)).body.name).toBe(c.name);
  });

  it('answers 400 for a text Postgres cannot store (NUL), and changes nothing', async () => {
    const c = await createCustomer(tenant.admin);
    const res = await tenant.admin.patch(`/v1/customers/${c.id}`, { group: 'a\u0000b' });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/cannot be stored/);
    expect((await tenant.admin.get(`/v1/customers/${c.id}`)).body.group).toBe(c.group);
  });

  it('keeps customers with invoices (409) and lets only admins delete', async () => {
    const c = await createCustomer(tenant.admin);
    const invoice = await createInvoice(tenant.admin, c.id);
    const sam = await createUser(tenant, 'standard');
    expect((await sam.http.delete(`/v1/customers/${c.id}`)).status).toBe(403);
    const res = await tenant.admin.delete(`/v1/customers/${c.id}`);
    expect(res.status).toBe(409);
    expect(res.body.message).toBe(`customer ${c.id} has 1 invoice(s) and 0 payment(s); delete those first`);
    expect((await tenant.admin.get(`/v1/invoices/${invoice.id}`)).status).toBe(200);
    // Standard users may manage customers, just not delete them.
    expect((await sam.http.patch(`/v1/customers/${c.id}`, { group: 'vip' })).body.group).toBe('vip');
  });

  it('manages vendors and locations, refusing deletions that would orphan bills or invoices', async () => {
    const vendor = await createVendor(tenant.admin, { email: 'AR@initech.test' });
    expect(vendor.email).toBe('ar@initech.test');
    expect((await tenant.admin.patch(`/v1/vendors/${vendor.id}`, { name: 'Initech Ltd.' })).body.name).toBe('Initech Ltd.');
    await tenant.admin.post('/v1/bills', { vendorId: vendor.id, amount: '1.00', dueDate: '2026-12-31' });
    const refused = await tenant.admin.delete(`/v1/vendors/${vendor.id}`);
    expect(refused.status).toBe(409);
    expect(refused.body.message).toBe(`vendor ${vendor.id} has 1 bill(s); delete them first`);
    const lonely = await createVendor(tenant.admin);
    expect((await tenant.admin.delete(`/v1/vendors/${lonely.id}`)).status).toBe(204);
    expect((await tenant.admin.get('/v1/vendors?limit=200')).body.data.map((v: { id: string }) => v.id)).toContain(vendor.id);

    const location = (await tenant.admin.post('/v1/locations', { name: 'Montréal' })).body;
    expect(location.name).toBe('Montréal');
    expect((await tenant.admin.patch(`/v1/locations/${location.id}`, { name: 'Laval' })).body.name).toBe('Laval');
    const c = await createCustomer(tenant.admin);
    await createInvoice(tenant.admin, c.id, { locationId: location.id });
    expect((await tenant.admin.delete(`/v1/locations/${location.id}`)).status).toBe(409);
    const unused = (await tenant.admin.post('/v1/locations', { name: 'Gatineau' })).body;
    expect((await tenant.admin.delete(`/v1/locations/${unused.id}`)).status).toBe(204);
    expect((await tenant.admin.get('/v1/locations')).body.data.map((l: { name: string }) => l.name)).toEqual(['Laval']);
    expect((await tenant.admin.post('/v1/locations', { name: '   ' })).status).toBe(201);
    expect((await tenant.admin.post('/v1/locations', {})).status).toBe(400);
    expect((await tenant.admin.post('/v1/vendors', { name: 'X', email: 'nope' })).status).toBe(400);
  });

  it('never reads, edits or deletes another company\'s customers, vendors or locations (404, unchanged)', async () => {
    const customer = await createCustomer(other.admin, { name: 'Secret Customer' });
    const vendor = await createVendor(other.admin, { name: 'Secret Vendor' });
    const location = (await other.admin.post('/v1/locations', { name: 'Secret Location' })).body;
    for (const [kind, record] of [['customer', customer], ['vendor', vendor], ['location', location]] as const) {
      const path = `/v1/${kind}s/${record.id}`;
      for (const res of [
        await tenant.admin.get(path),
        await tenant.admin.patch(path, { name: 'hijacked' }),
        await tenant.admin.delete(path),
      ]) {
        expect(res.status).toBe(404);
        expect(res.body.message).toBe(`${kind} ${record.id} not found`);
        expect(JSON.stringify(res.body)).not.toContain('Secret');
      }
      expect((await other.admin.get(path)).body).toEqual(record);
      expect((await tenant.admin.get(`/v1/${kind}s?limit=200`)).body.data.map((r: { id: string }) => r.id)).not.toContain(record.id);
    }
  });

  it('answers 400 for malformed ids and 401 without a key', async () => {
    for (const path of ['/v1/customers/1', '/v1/vendors/abc', '/v1/locations/xyz']) {
      const res = await tenant.admin.get(path);
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/is not a valid id/);
      expect((await http.get(path.replace(/\/[^/]+$/, ''))).status).toBe(401);
    }
  });
});

import { createTenant, createUser, Tenant } from '../support/fixtures';
import { Http } from '../support/http';
import { Stack } from '../support/stack';

describe('companies, users and API keys', () => {
  const stack = new Stack('companies-users');
  let http: Http;
  let tenant: Tenant;

  beforeAll(async () => {
    await stack.start();
    http = new Http(stack.baseUrl);
    tenant = await createTenant(http);
  });
  afterAll(() => stack.stop());

  it('creates a company with its admin and a key that works', async () => {
    const me = await tenant.admin.get('/v1/companies/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: tenant.companyId, locale: 'en-US', timezone: 'America/Toronto', currency: 'CAD', plan: 'advanced' });
    const user = await tenant.admin.get('/v1/users/me');
    expect(user.body).toMatchObject({ id: tenant.adminId, role: 'admin', email: tenant.adminEmail });
  });

  it.each([
    [{ company: { name: 'X', locale: 'de-DE', timezone: 'UTC', currency: 'CAD' }, admin: { name: 'A', email: 'a@x.test' } }, /locale must be one of/],
    [{ company: { name: 'X', locale: 'en-US', timezone: 'Mars/Olympus', currency: 'CAD' }, admin: { name: 'A', email: 'a@x.test' } }, /IANA time zone/],
    [{ company: { name: 'X', locale: 'en-US', timezone: 'UTC', currency: 'XXQ' }, admin: { name: 'A', email: 'a@x.test' } }, /ISO 4217/],
    [{ company: { name: '', locale: 'en-US', timezone: 'UTC', currency: 'CAD' }, admin: { name: 'A', email: 'a@x.test' } }, /name must not be empty/],
    [{ company: { name: 'X', locale: 'en-US', timezone: 'UTC', currency: 'CAD' }, admin: { name: 'A', email: 'nope' } }, /email must be an email/],
    [{ company: { name: 'X', locale: 'en-US', timezone: 'UTC', currency: 'CAD', extra: 1 }, admin: { name: 'A', email: 'a@x.test' } }, /extra should not exist/],
  ])('refuses a bad company %#', async (body, message) => {
    const res = await http.post('/v1/companies', body);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request', message: expect.stringMatching(message) });
  });

  it('answers 401 without a key, with a malformed header, and with an unknown key', async () => {
    const attempts: Record<string, string>[] = [{}, { authorization: 'Basic abc' }, { authorization: 'Bearer rlk_nope_nope' }];
    for (const headers of attempts) {
      const res = await http.get('/v1/companies/me', headers);
      expect(res.status).toBe(401);
      expect(res.body.message).toMatch(/Authorization|API key/);
    }
  });

  it('lets admins create users; standard users get 403 on admin routes', async () => {
    const sam = await createUser(tenant, 'standard');
    expect((await sam.http.get('/v1/users/me')).body).toMatchObject({ id: sam.id, role: 'standard' });
    const res = await sam.http.post('/v1/users', { name: 'Eve', email: 'eve@acme.test', role: 'admin' });
    expect(res.status).toBe(403);
    expect((await sam.http.patch('/v1/companies/me', { name: 'Hijacked' })).status).toBe(403);
    expect((await tenant.admin.get('/v1/companies/me')).body.name).not.toBe('Hijacked');
  });

  it('stores and answers a zone by its IANA canonical name, whichever name of it the client sends', async () => {
    const t = await createTenant(http, { timezone: 'Asia/Calcutta' });
    expect(t.company).toMatchObject({ timezone: 'Asia/Kolkata' });
    expect((await t.admin.patch('/v1/companies/me', { timezone: 'Asia/Kolkata' })).body).toMatchObject({ timezone: 'Asia/Kolkata' });
    expect((await t.admin.patch('/v1/companies/me', { timezone: 'europe/kiev' })).body).toMatchObject({ timezone: 'Europe/Kyiv' });
    const customer = await t.admin.post('/v1/customers', { name: 'Saigon Trading', timezone: 'Asia/Saigon' });
    expect(customer.body).toMatchObject({ timezone: 'Asia/Ho_Chi_Minh' });
    expect((await t.admin.get(`/v1/customers/${customer.body.id}`)).body).toMatchObject({ timezone: 'Asia/Ho_Chi_Minh' });
  });

  it('refuses null for a field that cannot be empty, and changes nothing', async () => {
    const res = await tenant.admin.patch('/v1/companies/me', { plan: 'essentials', name: null });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/name/);
    expect((await tenant.admin.get('/v1/companies/me')).body).toMatchObject({ plan: 'advanced', name: expect.any(String) });
  });

  it('refuses a duplicate email with 409', async () => {
    const res = await tenant.admin.post('/v1/users', { name: 'Ada again', email: tenant.adminEmail.toUpperCase(), role: 'standard' });
    expect(res.status).toBe(409);
    expect(res.body.message).toContain(tenant.adminEmail);
  });

  it('revokes keys: a revoked key gets 401', async () => {
    const sam = await createUser(tenant, 'standard');
    const second = await sam.http.post(`/v1/users/${sam.id}/api-keys`);
    expect(second.status).toBe(201);
    const samByNewKey = tenant.admin.as(second.body.apiKey);
    expect((await samByNewKey.get('/v1/users/me')).status).toBe(200);
    expect((await sam.http.delete(`/v1/api-keys/${second.body.id}`)).status).toBe(204);
    expect((await samByNewKey.get('/v1/users/me')).status).toBe(401);
    expect((await sam.http.get('/v1/users/me')).status).toBe(200);
  });

  it('never shows another company\'s data: cross-tenant ids are 404', async () => {
    const other = await createTenant(http);
    const res = await tenant.admin.get(`/v1/users/${other.adminId}`);
    expect(res.status).toBe(404);
    expect(JSON.stringify(res.body)).not.toContain(other.adminEmail);
    expect((await tenant.admin.post(`/v1/users/${other.adminId}/api-keys`)).status).toBe(404);
  });

  it('answers a malformed id with 400', async () => {
    const res = await tenant.admin.get('/v1/users/not-a-uuid');
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/not a valid id/);
  });

  it('paginates users with a cursor', async () => {
    const t = await createTenant(http);
    for (let i = 0; i < 3; i++) await createUser(t, 'standard', `U${i}`);
    const first = await t.admin.get('/v1/users?limit=2');
    expect(first.body.data).toHaveLength(2);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await t.admin.get(`/v1/users?limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body.data).toHaveLength(2);
    expect(second.body.nextCursor).toBeNull();
    const ids = [...first.body.data, ...second.body.data].map((u: { id: string }) => u.id);
    expect(new Set(ids).size).toBe(4);
    expect((await t.admin.get('/v1/users?cursor=garbage')).status).toBe(400);
    expect((await t.admin.get('/v1/users?limit=0')).status).toBe(400);
  });

  it('replays a create with the same Idempotency-Key and refuses another body with 422', async () => {
    const email = `idem-${Date.now()}@acme.test`;
    const headers = { 'idempotency-key': `k-${email}` };
    const first = await tenant.admin.post('/v1/users', { name: 'Idem', email, role: 'standard' }, headers);
    const again = await tenant.admin.post('/v1/users', { role: 'standard', email, name: 'Idem' }, headers);
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const other = await tenant.admin.post('/v1/users', { name: 'Other', email: `x${email}`, role: 'standard' }, headers);
    expect(other.status).toBe(422);
    const users = await tenant.admin.get('/v1/users?limit=200');
    expect(users.body.data.filter((u: { email: string }) => u.email.endsWith(email))).toHaveLength(1);
  });

  it('allows a downgrade to essentials when no invoice is pending approval', async () => {
    const t = await createTenant(http);
    const res = await t.admin.patch('/v1/companies/me', { plan: 'essentials' });
    expect(res.status).toBe(200);
    expect(res.body.plan).toBe('essentials');
  });
});

import { createTenant, createUser, Tenant } from '../support/fixtures';
import { Http, HttpResult } from '../support/http';
import { Stack } from '../support/stack';

interface Entry {
  id: string; type: string; actorId: string | null; actorName?: string; apiKeyId: string | null; clientAddress: string | null;
  targetType: string; targetId: string | null; data: Record<string, unknown>; createdAt: string;
}

/**
 * The audit trail through the real API: each change an admin makes appears once, with who, which key and from where
 * (behind one trusted proxy, the address X-Forwarded-For names); a refused change leaves nothing; admins read it, only
 * their company's, and nobody changes it.
 */
describe('the audit trail (GET /v1/audit-events)', () => {
  const stack = new Stack('audit-events', { TRUST_PROXY_HOPS: '1' });
  let http: Http;
  let tenant: Tenant;
  let adminKeyId: string;
  const ADDRESS = '203.0.113.7';
  const from = (address: string) => ({ 'x-forwarded-for': address });

  beforeAll(async () => {
    await stack.start();
    http = new Http(stack.baseUrl);
    tenant = await createTenant(http);
    adminKeyId = (await tenant.admin.get(`/v1/users/${tenant.adminId}/api-keys`)).body.data[0].id;
  });
  afterAll(() => stack.stop());

  async function entries(t: Tenant, query = ''): Promise<Entry[]> {
    const res = await t.admin.get(`/v1/audit-events?limit=200${query}`);
    expect(res.status).toBe(200);
    return res.body.data;
  }
  /** The entries after the sign-up's own three (company, its admin, the admin's first key), which it checks. */
  function afterSignup(t: Tenant, list: Entry[]): Entry[] {
    expect(list.slice(-3).map((e) => [e.type, e.targetId, e.actorId])).toEqual([
      ['api_key.issued', expect.any(String), t.adminId], ['user.created', t.adminId, t.adminId], ['company.created', t.companyId, t.adminId],
    ]);
    return list.slice(0, -3);
  }
  const ok = (res: HttpResult, status = 200) => {
    expect({ status: res.status, body: res.body }).toMatchObject({ status });
    return res.body;
  };

  it('records each change of definitions, company settings, users and API keys once, with actor, key and client address', async () => {
    const h = from(`10.9.8.7, ${ADDRESS}`);
    const created = ok(await tenant.admin.post('/v1/workflows', { templateKey: 'bill-payment-reminder', name: 'Bills' }, h), 201);
    ok(await tenant.admin.patch(`/v1/workflows/${created.id}`, { name: 'Bills due', actions: [{ type: 'email', to: { emails: ['ap@acme.test'] } }] }, h));
    ok(await tenant.admin.post(`/v1/workflows/${created.id}/activate`, undefined, h));
    ok(await tenant.admin.post(`/v1/workflows/${created.id}/activate`, undefined, h)); // already active: no change, no entry
    ok(await tenant.admin.post(`/v1/workflows/${created.id}/deactivate`, undefined, h));
    ok(await tenant.admin.delete(`/v1/workflows/${created.id}`, h), 204);
    const company = ok(await tenant.admin.patch('/v1/companies/me', {
      name: 'Acme Renamed', webhookUrl: 'http://127.0.0.1:9/hooks/T0KEN-IN-PATH?token=s3cr3t', sendWindow: { from: '08:00', to: '18:00', days: ['mon'] },
    }, h));
    const user = ok(await tenant.admin.post('/v1/users', { name: 'Sam', email: `sam-${Date.now()}@acme.test`, role: 'standard' }, h), 201);
    const userKey = ok(await tenant.admin.post(`/v1/users/${user.user.id}/api-keys`, undefined, h), 201);
    const userKeyId = userKey.id;
    const issued = ok(await tenant.admin.post(`/v1/users/${user.user.id}/api-keys`, undefined, h), 201);
    ok(await tenant.admin.delete(`/v1/api-keys/${issued.id}`, h), 204);

    const list = afterSignup(tenant, await entries(tenant));
    const expected: [string, string][] = [
      ['api_key.revoked', issued.id], ['api_key.issued', issued.id], ['api_key.issued', userKeyId], ['user.created', user.user.id],
      ['company.updated', tenant.companyId], ['workflow.deleted', created.id], ['workflow.deactivated', created.id],
      ['workflow.activated', created.id], ['workflow.updated', created.id], ['workflow.created', created.id],
    ];
    expect(list.map((e) => [e.type, e.targetId])).toEqual(expected); // newest first, each once
    for (const e of list) {
      expect(e).toMatchObject({ actorId: tenant.adminId, actorName: 'Ada Admin', apiKeyId: adminKeyId, clientAddress: ADDRESS });
    }
    const byType = Object.fromEntries(list.map((e) => [e.type, e]));
    expect(byType['workflow.created']).toMatchObject({ targetType: 'workflow', data: { templateKey: 'bill-payment-reminder', name: 'Bills', status: 'draft' } });
    expect(byType['workflow.updated'].data).toEqual({ fields: ['name', 'actions'], changes: { name: { old: 'Bills', new: 'Bills due' } } });
    expect(byType['workflow.activated'].data).toEqual({ status: { old: 'draft', new: 'active' } });
    expect(byType['workflow.deactivated'].data).toEqual({ status: { old: 'active', new: 'inactive' } });
    expect(byType['workflow.deleted'].data).toMatchObject({ name: 'Bills due', status: 'inactive' });
    expect(byType['company.updated']).toMatchObject({ targetType: 'company', data: { changes: {
      name: { old: expect.stringMatching(/^Acme /), new: 'Acme Renamed' },
      webhookUrl: { old: null, new: 'http://127.0.0.1:9' },
      sendWindow: { old: null, new: { from: '08:00', to: '18:00', days: ['mon'] } },
    }, webhookSecretRotated: true } });
    expect(byType['user.created']).toMatchObject({ targetType: 'user', data: { role: 'standard' } });
    expect(byType['api_key.revoked']).toMatchObject({ targetType: 'api_key', data: { userId: user.user.id, prefix: issued.prefix } });
    // Nothing secret: not the webhook's secret, nor the token in its URL, nor a key.
    const stored = JSON.stringify(list);
    for (const secret of [company.webhookSecret, 'T0KEN', 's3cr3t', userKey.apiKey, issued.apiKey]) expect(stored).not.toContain(secret);
  });

  it('records the sign-up, delegations, webhook endpoints and their secrets, and offboarding', async () => {
    const h = from(`10.9.8.7, ${ADDRESS}`);
    const signup = await http.post('/v1/companies', {
      company: { name: 'Audited Signup', locale: 'en-US', timezone: 'America/Toronto', currency: 'CAD' },
      admin: { name: 'Ada Admin', email: `signup-${Date.now()}@acme.test` },
    }, h);
    expect(signup.status).toBe(201);
    const t: Tenant = { companyId: signup.body.company.id, adminId: signup.body.user.id, adminEmail: '', admin: http.as(signup.body.apiKey), company: signup.body.company };
    const [first] = (await entries(t)).reverse();
    expect(first).toMatchObject({ type: 'company.created', actorId: t.adminId, clientAddress: ADDRESS, data: { plan: 'advanced' } });

    const bob = await createUser(t, 'standard', 'Bob');
    const cy = await createUser(t, 'standard', 'Cy');
    const until = new Date(Date.now() + 86_400_000).toISOString();
    ok(await bob.http.put('/v1/users/me/delegation', { delegateId: cy.id, from: new Date().toISOString(), until }, h));
    ok(await bob.http.delete('/v1/users/me/delegation', h), 204);
    const endpoint = ok(await t.admin.post('/v1/webhook-endpoints', { url: 'http://127.0.0.1:9/hooks?token=s3cr3t', events: ['*'] }, h), 201);
    ok(await t.admin.patch(`/v1/webhook-endpoints/${endpoint.id}`, { events: ['payment.received'] }, h));
    const rotated = ok(await t.admin.post(`/v1/webhook-endpoints/${endpoint.id}/rotate-secret`, undefined, h));
    ok(await t.admin.delete(`/v1/webhook-endpoints/${endpoint.id}`, h), 204);
    ok(await t.admin.post(`/v1/users/${bob.id}/deactivate`, {}, h));
    ok(await t.admin.post(`/v1/users/${bob.id}/reactivate`, undefined, h));

    const list = await entries(t, '&type=delegation.set,delegation.removed,webhook_endpoint.created,webhook_endpoint.updated,' +
      'webhook_endpoint.secret_rotated,webhook_endpoint.deleted,user.deactivated,user.reactivated');
    expect(list.map((e) => [e.type, e.targetId, e.actorId])).toEqual([
      ['user.reactivated', bob.id, t.adminId], ['user.deactivated', bob.id, t.adminId],
      ['webhook_endpoint.deleted', endpoint.id, t.adminId], ['webhook_endpoint.secret_rotated', endpoint.id, t.adminId],
      ['webhook_endpoint.updated', endpoint.id, t.adminId], ['webhook_endpoint.created', endpoint.id, t.adminId],
      ['delegation.removed', bob.id, bob.id], ['delegation.set', bob.id, bob.id],
    ]);
    for (const e of list) expect(e.clientAddress).toBe(ADDRESS);
    const byType = Object.fromEntries(list.map((e) => [e.type, e]));
    expect(byType['delegation.set'].data).toEqual({ delegateId: cy.id, from: expect.any(String), until });
    expect(byType['delegation.removed'].data).toEqual({ delegateId: cy.id });
    expect(byType['webhook_endpoint.created'].data).toEqual({ url: 'http://127.0.0.1:9', events: ['*'] });
    expect(byType['webhook_endpoint.updated'].data).toEqual({ changes: { events: { old: ['*'], new: ['payment.received'] } } });
    expect(byType['user.deactivated'].data).toMatchObject({ handoverTo: null, handedOver: [], revokedKeys: 1 });
    const stored = JSON.stringify(await entries(t));
    for (const secret of [endpoint.secret, rotated.secret, 's3cr3t', signup.body.apiKey]) expect(stored).not.toContain(secret);
  });

  it('writes no entry for a refused change', async () => {
    const t = await createTenant(http);
    const draft = ok(await t.admin.post('/v1/workflows', { templateKey: 'bill-payment-reminder' }), 201);
    expect((await t.admin.post(`/v1/workflows/${draft.id}/activate`)).status).toBe(422);
    expect((await t.admin.post(`/v1/workflows/${draft.id}/deactivate`)).status).toBe(409);
    expect((await t.admin.patch(`/v1/workflows/${draft.id}`, { templateKey: 'payment-due-reminder' })).status).toBe(400);
    expect((await t.admin.post('/v1/workflows', { templateKey: 'invoice-approval', activate: true })).status).toBe(422);
    expect((await t.admin.post('/v1/users', { name: 'Twin', email: t.adminEmail, role: 'admin' })).status).toBe(409);
    expect((await t.admin.patch('/v1/companies/me', { webhookUrl: 'http://169.254.169.254/latest' })).status).toBe(400);
    expect((await t.admin.delete('/v1/api-keys/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect(afterSignup(t, await entries(t)).map((e) => [e.type, e.targetId])).toEqual([['workflow.created', draft.id]]);
  });

  it('records a replayed create (same Idempotency-Key) once', async () => {
    const t = await createTenant(http);
    const headers = { 'idempotency-key': 'audit-replay' };
    const first = ok(await t.admin.post('/v1/workflows', { templateKey: 'bill-payment-reminder' }, headers), 201);
    const again = await t.admin.post('/v1/workflows', { templateKey: 'bill-payment-reminder' }, headers);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(afterSignup(t, await entries(t)).map((e) => [e.type, e.targetId])).toEqual([['workflow.created', first.id]]);
  });

  it('filters by actor, types and time, and pages with a cursor', async () => {
    const t = await createTenant(http);
    const other = await createUser(t, 'admin', 'Olga');
    const a = ok(await t.admin.post('/v1/workflows', { templateKey: 'bill-payment-reminder', name: 'A' }), 201);
    const b = ok(await other.http.post('/v1/workflows', { templateKey: 'bill-payment-reminder', name: 'B' }), 201);
    ok(await other.http.patch(`/v1/workflows/${b.id}`, { name: 'B2' }));
    ok(await other.http.delete(`/v1/workflows/${b.id}`), 204);

    expect((await entries(t, `&actorId=${other.id}`)).map((e) => e.type)).toEqual(['workflow.deleted', 'workflow.updated', 'workflow.created']);
    expect((await entries(t, '&type=workflow.created')).map((e) => e.targetId)).toEqual([b.id, a.id]);
    expect((await entries(t, '&type=workflow.deleted,user.created')).map((e) => [e.type, e.targetId])).toEqual([
      ['workflow.deleted', b.id], ['user.created', other.id], ['user.created', t.adminId],
    ]);
    const [updated] = await entries(t, '&type=workflow.updated');
    const at = encodeURIComponent(updated.createdAt);
    expect((await entries(t, `&from=${at}`)).map((e) => e.type)).toEqual(['workflow.deleted', 'workflow.updated']);
    expect((await entries(t, `&to=${at}&actorId=${other.id}`)).map((e) => e.type)).toEqual(['workflow.created']);

    const all = (await entries(t)).map((e) => e.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: HttpResult = await t.admin.get(`/v1/audit-events?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.body.data.map((e: Entry) => e.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all);
  });

  it.each([
    ['from=yesterday', /from must be an ISO 8601 date-time/],
    ['to=2026-13-45T00:00:00Z', /to must be an ISO 8601 date-time/],
    ['from=0000-01-01T00:00:00Z', /from must be/],
    ['from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z', /from \(2026-12-02T00:00:00Z\) must not be after to/],
    ['type=workflow.created,invoice.paid', /type "invoice.paid" is not an audit event type/],
    ['actorId=nobody', /actorId must be the id/],
    ['cursor=garbage', /cursor is not valid/],
  ])('answers 400 with a clear message to %s', async (query, message) => {
    const res = await tenant.admin.get(`/v1/audit-events?${query}`);
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(message);
  });

  it('is for admins only: a standard user gets 403', async () => {
    const sam = await createUser(tenant, 'standard');
    const res = await sam.http.get('/v1/audit-events');
    expect(res.status).toBe(403);
    expect((await http.get('/v1/audit-events')).status).toBe(401);
    expect(res.body.message).toBe('only an admin of the company may do this');
  });

  it("never shows another company's entries", async () => {
    const other = await createTenant(http);
    const theirs = ok(await other.admin.post('/v1/workflows', { templateKey: 'bill-payment-reminder' }), 201);
    expect(afterSignup(other, await entries(other)).map((e) => e.targetId)).toEqual([theirs.id]);
    const mine = JSON.stringify(await entries(tenant));
    expect(mine).not.toContain(theirs.id);
    expect(mine).not.toContain(other.adminId);
    expect(await entries(tenant, `&actorId=${other.adminId}`)).toEqual([]);
  });

  it('has no route that adds, changes or deletes an entry', async () => {
    const [entry] = await entries(tenant);
    expect((await tenant.admin.post('/v1/audit-events', { type: 'user.created' })).status).toBe(405);
    expect((await tenant.admin.put('/v1/audit-events', {})).status).toBe(405);
    expect((await tenant.admin.delete('/v1/audit-events')).status).toBe(405);
    expect((await tenant.admin.patch(`/v1/audit-events/${entry.id}`, { data: {} })).status).toBe(404);
    expect((await tenant.admin.delete(`/v1/audit-events/${entry.id}`)).status).toBe(404);
    expect((await entries(tenant))[0]).toEqual(entry);
  });
});

import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyWebhookSignature } from '../../src/domain/webhook-signature';
import { closeDb, sql } from '../support/db';
import { createTenant, createUser, type Tenant } from '../support/fixtures';
import { Http } from '../support/http';
import { createCustomer, createInvoice, createPayment } from '../support/ledger';
import { Stack } from '../support/stack';
import { until } from '../support/until';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A receiver on 127.0.0.1 that answers 200 to everything and keeps what it got. */
async function startReceiver(): Promise<{ server: Server; url: (path: string) => string; at: (path: string) => Received[] }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ path: req.url ?? '/', headers: req.headers, body });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return { server, url: (path) => `http://127.0.0.1:${port}${path}`, at: (path) => received.filter((r) => r.path === path) };
}

const hmac = (secret: string, t: string, body: string) => createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
const nowSeconds = () => Math.floor(Date.now() / 1000);

/**
 * Secrets through the real API, worker and Postgres: an `Idempotency-Key` replays only to the user who sent it and
 * for 24 h; no API key or webhook secret is kept in clear; webhook secrets rotate with a day of overlap.
 */
describe('secrets: idempotency keys, secrets at rest, webhook secret rotation', () => {
  const stack = new Stack('secrets', { RELANCE_WEBHOOK_DISPATCH_INTERVAL_MS: '200' });
  let tenant: Tenant;
  let sam: Awaited<ReturnType<typeof createUser>>;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;

  beforeAll(async () => {
    await stack.start();
    receiver = await startReceiver();
    tenant = await createTenant(new Http(stack.baseUrl));
    sam = await createUser(tenant, 'standard');
  });
  afterAll(async () => {
    await closeDb();
    receiver?.server.close();
    await stack.stop();
  });

  const idem = () => ({ 'idempotency-key': `k-${randomUUID()}` });

  it('replays an Idempotency-Key only to the user who sent it: another user\'s same key is a request of its own', async () => {
    const key = idem();
    const issued = await tenant.admin.post(`/v1/users/${tenant.adminId}/api-keys`, undefined, key);
    expect(issued.status).toBe(201);
    expect(issued.body.apiKey).toMatch(/^rlk_/);

    // A standard user repeats the admin's request with the admin's key: it runs as sam's, and sam may not do it.
    const stolen = await sam.http.post(`/v1/users/${tenant.adminId}/api-keys`, undefined, key);
    expect(stolen.status).toBe(403);
    expect(stolen.headers.get('idempotent-replayed')).toBeNull();
    expect(JSON.stringify(stolen.body)).not.toContain(issued.body.apiKey);

    // Sam's own request under the same key is sam's; the admin's retry still replays the admin's answer.
    const own = await sam.http.post(`/v1/users/${sam.id}/api-keys`, undefined, key);
    expect(own.status).toBe(201);
    expect(own.body.userId).toBe(sam.id);
    const retried = await tenant.admin.post(`/v1/users/${tenant.adminId}/api-keys`, undefined, key);
    expect(retried.status).toBe(201);
    expect(retried.headers.get('idempotent-replayed')).toBe('true');
    expect(retried.body).toEqual(issued.body);
  });

  it('keeps an answer for 24 h: after that the same key is a new request', async () => {
    const key = idem();
    const first = await tenant.admin.post(`/v1/users/${tenant.adminId}/api-keys`, undefined, key);
    expect(first.status).toBe(201);
    await sql(`UPDATE idempotency_keys SET created_at = created_at - interval '24 hours 1 second' WHERE key = $1`, [key['idempotency-key']]);
    const later = await tenant.admin.post(`/v1/users/${tenant.adminId}/api-keys`, undefined, key);
    expect(later.status).toBe(201);
    expect(later.headers.get('idempotent-replayed')).toBeNull();
    expect(later.body.id).not.toBe(first.body.id);
    const replayed = await tenant.admin.post(`/v1/users/${tenant.adminId}/api-keys`, undefined, key);
    expect(replayed.headers.get('idempotent-replayed')).toBe('true');
    expect(replayed.body.id).toBe(later.body.id);
  });

  it('keeps no API key or webhook secret in clear in Postgres; a replay still answers them', async () => {
    const keyOfKey = idem();
    const issued = await tenant.admin.post(`/v1/users/${tenant.adminId}/api-keys`, undefined, keyOfKey);
    const keyOfEndpoint = idem();
    const endpoint = await tenant.admin.post('/v1/webhook-endpoints', { url: receiver.url('/at-rest'), events: ['payment.received'] }, keyOfEndpoint);
    expect(endpoint.status).toBe(201);
    const company = await tenant.admin.patch('/v1/companies/me', { webhookUrl: receiver.url('/at-rest-push') });
    expect(company.body.webhookSecret).toMatch(/^whsec_/);

    const rows = JSON.stringify([
      await sql('SELECT * FROM idempotency_keys WHERE company_id = $1', [tenant.companyId]),
      await sql('SELECT * FROM webhook_endpoints WHERE company_id = $1', [tenant.companyId]),
      await sql('SELECT * FROM companies WHERE id = $1', [tenant.companyId]),
      await sql('SELECT * FROM api_keys WHERE company_id = $1', [tenant.companyId]),
    ]);
    for (const secret of [issued.body.apiKey, endpoint.body.secret, company.body.webhookSecret] as string[]) {
      expect(rows).not.toContain(secret);
      expect(rows).not.toContain(secret.slice(-43)); // the random part alone, whatever the prefix
    }
    expect(rows).not.toMatch(/rlk_|whsec_/);

    const again = await tenant.admin.post(`/v1/users/${tenant.adminId}/api-keys`, undefined, keyOfKey);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.apiKey).toBe(issued.body.apiKey);
    const endpointAgain = await tenant.admin.post('/v1/webhook-endpoints', { url: receiver.url('/at-rest'), events: ['payment.received'] }, keyOfEndpoint);
    expect(endpointAgain.body.secret).toBe(endpoint.body.secret);
  });

  it('answers no webhookSecret from GET /v1/companies/me, to admins either', async () => {
    const patch = await tenant.admin.patch('/v1/companies/me', { webhookUrl: receiver.url('/me-push') });
    expect(patch.status).toBe(200);
    const me = await tenant.admin.get('/v1/companies/me');
    expect(me.status).toBe(200);
    expect(me.body).not.toHaveProperty('webhookSecret');
    expect(JSON.stringify(me.body)).not.toContain('whsec_');
  });

  it('rotates a webhook secret: for 24 h both sign (new first), then only the new one', async () => {
    const created = await tenant.admin.post('/v1/webhook-endpoints', { url: receiver.url('/rotating'), events: ['payment.received'] });
    expect(created.status).toBe(201);
    const old: string = created.body.secret;
    expect((await sam.http.post(`/v1/webhook-endpoints/${created.body.id}/rotate-secret`)).status).toBe(403);
    expect((await tenant.admin.post(`/v1/webhook-endpoints/${randomUUID()}/rotate-secret`)).status).toBe(404);
    // Another tenant's admin gets what a missing id gets, and rotates nothing (the pair signing below starts at `old`).
    const stranger = await createTenant(new Http(stack.baseUrl));
    expect((await stranger.admin.post(`/v1/webhook-endpoints/${created.body.id}/rotate-secret`)).status).toBe(404);
    expect((await new Http(stack.baseUrl).post(`/v1/webhook-endpoints/${created.body.id}/rotate-secret`)).status).toBe(401);
    const rotated = await tenant.admin.post(`/v1/webhook-endpoints/${created.body.id}/rotate-secret`);
    expect(rotated.status).toBe(200);
    const fresh: string = rotated.body.secret;
    expect(fresh).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(fresh).not.toBe(old);
    expect(rotated.body).toMatchObject({ id: created.body.id, url: receiver.url('/rotating'), previousSecretExpiresAt: expect.any(String) });
    expect(JSON.stringify((await tenant.admin.get(`/v1/webhook-endpoints/${created.body.id}`)).body)).not.toContain('whsec_');

    const pay = async () => {
      const customer = await createCustomer(tenant.admin);
      const invoice = await createInvoice(tenant.admin, customer.id, { amount: '100.00' });
      return createPayment(tenant.admin, invoice.id, '10.00');
    };
    await pay();
    const [during] = await until(async () => receiver.at('/rotating'), (r) => r.length === 1, 'the event signed during the overlap');
    const header = during.headers['relance-signature'] as string;
    const t = /^t=(\d+),/.exec(header)?.[1] ?? '';
    expect(header).toBe(`t=${t},v1=${hmac(fresh, t, during.body)},v1=${hmac(old, t, during.body)}`);
    expect(verifyWebhookSignature(fresh, during.body, header, nowSeconds())).toBe(true);
    expect(verifyWebhookSignature(old, during.body, header, nowSeconds())).toBe(true);

    await sql(`UPDATE webhook_endpoints SET secret_rotated_at = secret_rotated_at - interval '24 hours 1 second' WHERE id = $1`, [created.body.id]);
    await pay();
    const [, after] = await until(async () => receiver.at('/rotating'), (r) => r.length === 2, 'the event signed after the overlap');
    const afterHeader = after.headers['relance-signature'] as string;
    const t2 = /^t=(\d+),/.exec(afterHeader)?.[1] ?? '';
    expect(afterHeader).toBe(`t=${t2},v1=${hmac(fresh, t2, after.body)}`);
    expect(verifyWebhookSignature(fresh, after.body, afterHeader, nowSeconds())).toBe(true);
    expect(verifyWebhookSignature(old, after.body, afterHeader, nowSeconds())).toBe(false);
  }, 60_000);

  it('rotates the company webhookUrl\'s secret through its endpoint too', async () => {
    const patch = await tenant.admin.patch('/v1/companies/me', { webhookUrl: receiver.url('/company-rotating') });
    const list = (await tenant.admin.get('/v1/webhook-endpoints?limit=200')).body.data as Array<{ id: string; source: string }>;
    const push = list.find((e) => e.source === 'company')!;
    const rotated = await tenant.admin.post(`/v1/webhook-endpoints/${push.id}/rotate-secret`);
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(patch.body.webhookSecret);
  });
});

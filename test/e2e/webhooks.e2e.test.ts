import { Client, Connection } from '@temporalio/client';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { workflowIds } from '../../src/contracts';
import { verifyWebhookSignature } from '../../src/domain/webhook-signature';
import { approvalCompany, createLargeInvoice } from '../support/approval';
import { closeDb, sql } from '../support/db';
import { testEnv } from '../support/env';
import { createTenant, type Tenant } from '../support/fixtures';
import { Http } from '../support/http';
import { createCustomer, createInvoice, createPayment } from '../support/ledger';
import { OwnTemporal } from '../support/own-temporal';
import { Stack } from '../support/stack';
import { until } from '../support/until';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** An integrator's receiver on 127.0.0.1: `/flaky-<n>` answers 500 to its first two requests, then 200; the rest 200. */
async function startReceiver(): Promise<{ server: Server; url: (path: string) => string; received: Received[]; at: (path: string) => Received[] }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const path = req.url ?? '/';
      received.push({ path, headers: req.headers, body });
      const seen = received.filter((r) => r.path === path).length;
      res.writeHead(path.startsWith('/flaky') && seen <= 2 ? 500 : 200).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    server, received,
    url: (path) => `http://127.0.0.1:${port}${path}`,
    at: (path) => received.filter((r) => r.path === path),
  };
}

/**
 * Webhooks end to end, through the API, the worker, Temporal and Postgres: events are signed, retried
 * with backoff by a durable workflow (across a killed worker), logged attempt by attempt, sent only to their subscribers.
 */
describe('webhooks end to end', () => {
  // Backoff of 2 s then 4 s: the worker is killed and back in between.
  const stack = new Stack('webhooks', { RELANCE_WEBHOOK_DISPATCH_INTERVAL_MS: '200', RELANCE_WEBHOOK_RETRY_INITIAL_MS: '2000', RELANCE_WEBHOOK_RETRY_MAX_MS: '4000' });
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let tenant: Tenant;
  let connection: Connection;
  let temporal: Client;

  beforeAll(async () => {
    await stack.start();
    connection = await Connection.connect({ address: testEnv().temporalAddress });
    temporal = new Client({ connection, namespace: testEnv().temporalNamespace });
    receiver = await startReceiver();
    tenant = await createTenant(new Http(stack.baseUrl));
  });
  afterAll(async () => {
    await closeDb();
    await connection?.close();
    receiver?.server.close();
    await stack.stop();
  });

  const endpoint = async (path: string, events: string[]) => {
    const res = await tenant.admin.post('/v1/webhook-endpoints', { url: receiver.url(path), events });
    expect(res.status).toBe(201);
    return res.body as { id: string; secret: string; url: string; events: string[] };
  };
  const attempts = async (endpointId: string) => (await tenant.admin.get(`/v1/webhook-endpoints/${endpointId}/deliveries`)).body.data as Array<{
    deliveryId: string; eventId: string; eventType: string; attempt: number; statusCode: number | null; error: string | null; deliveryStatus: string;
  }>;
  const payment = async () => {
    const customer = await createCustomer(tenant.admin);
    const invoice = await createInvoice(tenant.admin, customer.id, { amount: '300.00' });
    return { invoice, payment: await createPayment(tenant.admin, invoice.id, '120.50') };
  };

  it('retries a receiver that answers 500 twice with the same event id, across a killed worker, and logs the three attempts', async () => {
    const flaky = await endpoint('/flaky-1', ['payment.received']);
    const all = await endpoint('/all-1', ['*']);
    const approvals = await endpoint('/approvals-1', ['invoice.approval.requested', 'invoice.approval.decided']);
    const { invoice, payment: paid } = await payment();

    await until(async () => receiver.at('/flaky-1'), (r) => r.length === 1, 'the first attempt');
    const [first] = await until(() => attempts(flaky.id), (a) => a.length === 1, 'the first attempt in the log');
    const history = () => temporal.workflow.getHandle(workflowIds.webhookDelivery(first.deliveryId)).fetchHistory();
    await until(async () => (await history()).events?.some((e) => e.timerStartedEventAttributes) ?? false, (x) => x, 'the backoff timer');
    // The worker dies while the delivery waits for its retry; the retry's timer is Temporal's, not the worker's.
    await stack.stopWorker('SIGKILL');
    await new Promise((r) => setTimeout(r, 2500));
    expect(receiver.at('/flaky-1')).toHaveLength(1);
    // Meanwhile the SRE's gauge counts it.
    const metrics = await (await fetch(`${stack.baseUrl}/metrics`)).text();
    expect(Number(/^relance_webhook_deliveries_retrying (\d+)$/m.exec(metrics)?.[1])).toBeGreaterThanOrEqual(1);
    await stack.startWorker();
    const got = await until(async () => receiver.at('/flaky-1'), (r) => r.length === 3, 'the third attempt', { attempts: 600 })
      .catch(async (err: Error) => {
        // What Temporal holds of the delivery, to tell a lost retry from a slow one.
        const events = (await history()).events ?? [];
        throw new Error(`${err.message}\nhistory: ${events.map((e) => `${e.eventTime?.seconds}:${e.eventType}`).join(', ')}`);
      });

    const bodies = got.map((r) => JSON.parse(r.body));
    expect(new Set(bodies.map((b) => b.id)).size).toBe(1);
    expect(bodies[0]).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/), type: 'payment.received', createdAt: expect.any(String), companyId: tenant.companyId,
      data: {
        paymentId: paid.id, invoiceId: invoice.id, customerId: invoice.customerId, amount: '120.50', receivedAt: expect.any(String), method: null,
      },
    });
    for (const r of got) {
      expect(r.headers['content-type']).toBe('application/json');
      expect(r.headers['relance-signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
      expect(verifyWebhookSignature(flaky.secret, r.body, r.headers['relance-signature'] as string, Math.floor(Date.now() / 1000))).toBe(true);
      expect(verifyWebhookSignature(all.secret, r.body, r.headers['relance-signature'] as string, Math.floor(Date.now() / 1000))).toBe(false);
    }

    const log = await until(() => attempts(flaky.id), (a) => a.length === 3, 'three attempts in the log');
    expect(log).toEqual([1, 2, 3].map((attempt) => expect.objectContaining({
      attempt, eventId: bodies[0].id, eventType: 'payment.received', deliveryId: log[0].deliveryId,
      statusCode: attempt < 3 ? 500 : 200, error: attempt < 3 ? 'answered 500' : null, deliveryStatus: 'delivered',
    })));

    // The '*' endpoint got the same event, once; the approvals endpoint, subscribed to other types, nothing.
    const toAll = await until(async () => receiver.at('/all-1'), (r) => r.length === 1, 'the event at the "*" endpoint');
    expect(JSON.parse(toAll[0].body).id).toBe(bodies[0].id);
    expect(verifyWebhookSignature(all.secret, toAll[0].body, toAll[0].headers['relance-signature'] as string, Math.floor(Date.now() / 1000))).toBe(true);
    expect(receiver.at('/approvals-1')).toEqual([]);
    expect(await attempts(approvals.id)).toEqual([]);
    expect(await sql('SELECT 1 FROM webhook_deliveries WHERE endpoint_id = $1', [approvals.id])).toEqual([]);

    // A manual retry sends it again now, with the same id.
    const retry = await tenant.admin.post(`/v1/webhook-endpoints/${flaky.id}/deliveries/${log[0].deliveryId}/retry`);
    expect(retry.status).toBe(202);
    const again = await until(async () => receiver.at('/flaky-1'), (r) => r.length === 4, 'the manual retry');
    expect(JSON.parse(again[3].body).id).toBe(bodies[0].id);
    expect(await until(() => attempts(flaky.id), (a) => a.length === 4, 'four attempts')).toHaveLength(4);
  }, 120_000);

  it('sends invoice.approval.requested then invoice.approval.decided from an approval cycle, and the payment to nobody there', async () => {
    const c = await approvalCompany(new Http(stack.baseUrl));
    const created = await c.tenant.admin.post('/v1/webhook-endpoints', {
      url: receiver.url('/approvals-2'), events: ['invoice.approval.requested', 'invoice.approval.decided'],
    });
    expect(created.status).toBe(201);
    const invoice = await createLargeInvoice(c);
    expect((await c.creator.http.post(`/v1/invoices/${invoice.id}/submit-for-approval`)).status).toBe(200);
    const [requested] = await until(async () => receiver.at('/approvals-2'), (r) => r.length === 1, 'invoice.approval.requested');
    expect(JSON.parse(requested.body)).toMatchObject({
      type: 'invoice.approval.requested', companyId: c.tenant.companyId,
      data: { invoiceId: invoice.id, invoiceNumber: invoice.number, step: 1, stepCount: 1 },
    });
    expect((await c.approver.http.post(`/v1/invoices/${invoice.id}/approve`, { comment: 'fine' })).status).toBe(200);
    const got = await until(async () => receiver.at('/approvals-2'), (r) => r.length === 2, 'invoice.approval.decided');
    const decided = JSON.parse(got[1].body);
    expect(decided).toMatchObject({
      type: 'invoice.approval.decided',
      data: { invoiceId: invoice.id, outcome: 'approved', decision: 'approved', decidedBy: c.approver.id, comment: 'fine' },
    });
    expect(decided.id).not.toBe(JSON.parse(requested.body).id);
    for (const r of got) {
      expect(verifyWebhookSignature(created.body.secret, r.body, r.headers['relance-signature'] as string, Math.floor(Date.now() / 1000))).toBe(true);
    }
    // A payment of that company is no approval event: its endpoint gets nothing more.
    await createPayment(c.tenant.admin, invoice.id, '10.00');
    await new Promise((r) => setTimeout(r, 1500));
    expect(receiver.at('/approvals-2')).toHaveLength(2);
  });

  it('manages endpoints: the secret is shown once, PATCH changes the subscription, DELETE removes it', async () => {
    const created = await endpoint('/crud', ['payment.received']);
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    const one = await tenant.admin.get(`/v1/webhook-endpoints/${created.id}`);
    expect(one.status).toBe(200);
    expect(one.body).toEqual({
      id: created.id, url: receiver.url('/crud'), events: ['payment.received'], source: 'api', createdAt: expect.any(String), updatedAt: expect.any(String),
    });
    const list = await tenant.admin.get('/v1/webhook-endpoints?limit=200');
    expect(list.body.data.map((e: { id: string }) => e.id)).toContain(created.id);
    expect(JSON.stringify(list.body)).not.toContain('whsec_');

    const patched = await tenant.admin.patch(`/v1/webhook-endpoints/${created.id}`, { events: ['*', 'payment.received'] });
    expect(patched.status).toBe(200);
    expect(patched.body.events).toEqual(['*']);
    expect((await tenant.admin.patch(`/v1/webhook-endpoints/${created.id}`, {})).status).toBe(400);
    const badType = await tenant.admin.post('/v1/webhook-endpoints', { url: receiver.url('/x'), events: ['invoice.paid'] });
    expect(badType.status).toBe(400);
    expect(badType.body.message).toContain('each of events must be one of *, invoice.approval.requested');
    expect((await tenant.admin.post('/v1/webhook-endpoints', { url: receiver.url('/x'), events: [] })).status).toBe(400);

    expect((await tenant.admin.delete(`/v1/webhook-endpoints/${created.id}`)).status).toBe(204);
    expect((await tenant.admin.get(`/v1/webhook-endpoints/${created.id}`)).status).toBe(404);
    expect((await tenant.admin.delete(`/v1/webhook-endpoints/${created.id}`)).status).toBe(404);
  });

  it('refuses link-local and cloud metadata addresses even where private ones are allowed', async () => {
    for (const url of ['http://169.254.169.254/latest/meta-data/', 'http://[fd00:ec2::254]/', 'http://[::ffff:169.254.169.254]/', 'http://0.0.0.0:80/']) {
      const res = await tenant.admin.post('/v1/webhook-endpoints', { url, events: ['*'] });
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/^url is refused: /);
    }
    expect((await tenant.admin.patch('/v1/companies/me', { webhookUrl: 'http://169.254.169.254/' })).status).toBe(400);
  });

  it('makes the company webhookUrl an endpoint of the push notifications, kept in line by the company PATCH', async () => {
    const patch = await tenant.admin.patch('/v1/companies/me', { webhookUrl: receiver.url('/push') });
    expect(patch.status).toBe(200);
    const list = (await tenant.admin.get('/v1/webhook-endpoints?limit=200')).body.data as Array<{ source: string; url: string; events: string[] }>;
    expect(list.filter((e) => e.source === 'company')).toEqual([expect.objectContaining({ url: receiver.url('/push'), events: ['notification.pushed'] })]);
    await tenant.admin.patch('/v1/companies/me', { webhookUrl: receiver.url('/push-2') });
    const moved = (await tenant.admin.get('/v1/webhook-endpoints?limit=200')).body.data.filter((e: { source: string }) => e.source === 'company');
    expect(moved).toEqual([expect.objectContaining({ url: receiver.url('/push-2') })]);
    await tenant.admin.patch('/v1/companies/me', { webhookUrl: null });
    const gone = (await tenant.admin.get('/v1/webhook-endpoints?limit=200')).body.data.filter((e: { source: string }) => e.source === 'company');
    expect(gone).toEqual([]);
  });
});

describe('webhooks without RELANCE_WEBHOOK_ALLOW_PRIVATE', () => {
  const stack = new Stack('webhooks-closed', { RELANCE_WEBHOOK_ALLOW_PRIVATE: 'false' });
  let tenant: Tenant;
  beforeAll(async () => {
    await stack.start();
    tenant = await createTenant(new Http(stack.baseUrl));
  });
  afterAll(() => stack.stop());

  it('refuses loopback and private URLs with 400 and records nothing', async () => {
    for (const url of ['http://127.0.0.1:8080/h', 'http://localhost/h', 'http://[::1]/h', 'http://10.1.2.3/h', 'http://192.168.0.5/h', 'http://0x7f000001/h']) {
      const res = await tenant.admin.post('/v1/webhook-endpoints', { url, events: ['*'] });
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/^url is refused: .*(loopback|private)/);
    }
    const company = await tenant.admin.patch('/v1/companies/me', { webhookUrl: 'http://172.16.0.1/hooks' });
    expect(company.status).toBe(400);
    expect(company.body.message).toMatch(/^webhookUrl is refused/);
    expect((await tenant.admin.get('/v1/companies/me')).body.webhookUrl).toBeNull();
    expect((await tenant.admin.get('/v1/webhook-endpoints')).body.data).toEqual([]);
  });
});

describe('webhooks across a restart of the Temporal server', () => {
  const temporalServer = new OwnTemporal();
  let stack: Stack;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let tenant: Tenant;
  let connection: Connection | undefined;

  beforeAll(async () => {
    await temporalServer.start();
    stack = new Stack('webhooks-temporal-restart', {
      TEMPORAL_ADDRESS: temporalServer.address, RELANCE_RECONCILE_SCHEDULES: 'false', RELANCE_WEBHOOK_DISPATCH_INTERVAL_MS: '200',
      RELANCE_WEBHOOK_RETRY_INITIAL_MS: '3000', RELANCE_WEBHOOK_RETRY_MAX_MS: '3000',
    });
    await stack.start();
    receiver = await startReceiver();
    tenant = await createTenant(new Http(stack.baseUrl));
  }, 120_000);
  afterAll(async () => {
    await connection?.close();
    receiver?.server.close();
    await stack?.stop();
    await temporalServer.remove();
  });

  it('keeps the retry timer: killed with kill -9 while a delivery waits, started again, the retries come', async () => {
    const res = await tenant.admin.post('/v1/webhook-endpoints', { url: receiver.url('/flaky-restart'), events: ['payment.received'] });
    expect(res.status).toBe(201);
    const customer = await createCustomer(tenant.admin);
    const invoice = await createInvoice(tenant.admin, customer.id, { amount: '50.00' });
    await createPayment(tenant.admin, invoice.id, '50.00');
    const [first] = await until(async () => (await tenant.admin.get(`/v1/webhook-endpoints/${res.body.id}/deliveries`)).body.data as Array<{ deliveryId: string }>,
      (a) => a.length === 1, 'the first attempt in the log');
    connection = await Connection.connect({ address: temporalServer.address });
    const handle = new Client({ connection }).workflow.getHandle(workflowIds.webhookDelivery(first.deliveryId));
    await until(async () => (await handle.fetchHistory()).events?.some((e) => e.timerStartedEventAttributes) ?? false, (x) => x, 'the backoff timer');
    await connection.close();
    connection = undefined;

    await temporalServer.kill();
    await new Promise((r) => setTimeout(r, 3500));
    expect(receiver.at('/flaky-restart')).toHaveLength(1);
    await temporalServer.start();
    const got = await until(async () => receiver.at('/flaky-restart'), (r) => r.length === 3, 'the retries after the restart', { attempts: 600 });
    expect(new Set(got.map((r) => JSON.parse(r.body).id)).size).toBe(1);
    const log = await until(async () => (await tenant.admin.get(`/v1/webhook-endpoints/${res.body.id}/deliveries`)).body.data as Array<{ statusCode: number }>,
      (a) => a.length === 3, 'three attempts in the log');
    expect(log.map((a) => a.statusCode)).toEqual([500, 500, 200]);
  });
});

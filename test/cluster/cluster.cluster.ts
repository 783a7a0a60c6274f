import { Client, Connection } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import { workflowIds } from '../../src/contracts';
import { temporalAccess } from '../../src/config';
import { temporalConnectionOptions } from '../../src/infra/temporal-connection';
import { addDays, todayIn } from '../../src/domain/dates';
import { verifyWebhookSignature } from '../../src/domain/webhook-signature';
import { approvalCompany, ApprovalCompany, createLargeInvoice, outcomeNotified, tasksOf, workflowIdsMatching } from '../support/approval';
import { clusterEnv } from '../support/cluster';
import { closeDb } from '../support/db';
import { testEnv } from '../support/env';
import { createTenant } from '../support/fixtures';
import { Http } from '../support/http';
import { createCustomer, createInvoice, createPayment } from '../support/ledger';
import { mailsTo, waitForMails } from '../support/mail';
import { until } from '../support/until';

/** The server's count of activities handed to a worker in its workflow task's answer (eager dispatch), all labels summed. */
async function eagerActivities(metricsUrl: string): Promise<number> {
  const text = await (await fetch(metricsUrl)).text();
  return [...text.matchAll(/^activity_eager_execution(?:\{[^}]*\})? (\S+)$/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
}

/**
 * A TLS connection to the frontend, ALPN h2 as gRPC's: 'open' when it still stands a second after the handshake, else
 * the error code the client's TLS layer reports (the server's alert).
 */
function tlsHandshake(address: string, options: ConnectionOptions): Promise<string> {
  const [host, port] = address.split(':');
  return new Promise((resolve) => {
    const socket = tlsConnect({ host, port: Number(port), servername: 'localhost', ALPNProtocols: ['h2'], ...options });
    const done = (answer: string) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(answer);
    };
    let timer = setTimeout(() => done('no handshake within 10 s'), 10000);
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      timer = setTimeout(() => done('open'), 1000);
    });
    socket.once('error', (err: NodeJS.ErrnoException) => done(err.code ?? err.message));
    socket.once('close', () => done('closed'));
  });
}

/**
 * The production topology of docker-compose.yml, run for real: a Temporal server (the version compose runs) on
 * PostgreSQL with SQL visibility and ops/temporal/dynamicconfig.yaml, its namespace and search attributes made by
 * ops/temporal/setup-namespace.sh, two API and two worker processes on one task queue. Started by `npm run test:cluster`.
 */
describe('the production topology: a Temporal server on PostgreSQL, two APIs, two workers', () => {
  const cluster = clusterEnv();
  const [api1, api2] = cluster.apiUrls.map((url) => new Http(url));
  const [url1, url2] = cluster.apiUrls;
  let connection: Connection;
  let temporal: Client;
  let c: ApprovalCompany;
  let approvedInvoice: { id: string; number: string };

  beforeAll(async () => {
    // As the API and the workers connect: TEMPORAL_TLS_* (the cluster's CA and client certificate).
    connection = await Connection.connect(temporalConnectionOptions({ temporalAddress: testEnv().temporalAddress, ...temporalAccess(process.env) }));
    temporal = new Client({ connection, namespace: testEnv().temporalNamespace });
    c = await approvalCompany(api1);
  });
  afterAll(async () => {
    await closeDb();
    await connection?.close();
  });

  it('refuses at its frontend a caller without a client certificate of the cluster\'s CA', async () => {
    const access = temporalAccess(process.env).temporalTls;
    expect(access?.clientCertPair).toBeDefined();
    const attempt = (options: Parameters<typeof Connection.connect>[0]) =>
      Connection.connect({ ...options, address: testEnv().temporalAddress, connectTimeout: 2000 }).then((c) => c.close().then(() => 'connected'), () => 'refused');
    expect(await attempt({})).toBe('refused');
    expect(await attempt({ tls: { serverRootCACertificate: access!.serverRootCa, serverNameOverride: 'localhost' } })).toBe('refused');
    // Refused for the certificate, not for anything else: the frontend's TLS alert to a caller without one.
    const address = testEnv().temporalAddress;
    expect(await tlsHandshake(address, { ca: access!.serverRootCa })).toBe('ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED');
    expect(await tlsHandshake(address, { ca: access!.serverRootCa, cert: access!.clientCertPair!.crt, key: access!.clientCertPair!.key })).toBe('open');
  });

  it('kills nothing for a caller of the harness\'s control endpoint without its token', async () => {
    const url = `${process.env.RELANCE_CLUSTER_CONTROL_URL}/kill/api-1`;
    for (const authorization of [undefined, 'Bearer not-the-token', `Bearer ${process.env.RELANCE_CLUSTER_CONTROL_TOKEN}x`]) {
      const res = await fetch(url, { method: 'POST', headers: authorization ? { authorization } : {} });
      expect(res.status).toBe(401);
    }
    expect((await fetch(`${url1}/health`)).status).toBe(200);
  });

  it('decides through API 2 an approval submitted through API 1, and emails each step', async () => {
    const invoice = await createLargeInvoice(c);
    const submit = await c.creator.http.post(`/v1/invoices/${invoice.id}/submit-for-approval`);
    expect(submit.status).toBe(200);
    const approver = { ...c.approver, http: c.approver.http.at(url2) };
    await until(() => tasksOf(approver, 'open', invoice.id), (t) => t.length === 1, 'the approval task, read through API 2');
    const requested = `Approval needed: invoice ${invoice.number} for ${c.customer.name}`;
    expect((await waitForMails(c.approver.email, 1)).map((m) => m.subject)).toEqual([requested]);

    const approved = await approver.http.post(`/v1/invoices/${invoice.id}/approve`, { comment: 'through the second API' });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'approved', decisions: [{ decision: 'approved', by: { id: c.approver.id } }] });
    await outcomeNotified(invoice.id);
    expect((await mailsTo(c.creator.email)).map((m) => m.subject)).toEqual([`Invoice ${invoice.number} was approved`]);
    approvedInvoice = invoice;
  });

  it('finds the run by its custom search attributes (CompanyId, InvoiceId, ApprovalStatus) on SQL visibility', async () => {
    const workflowId = workflowIds.invoiceApproval(approvedInvoice.id, 1);
    const query = `CompanyId = '${c.tenant.companyId}' AND InvoiceId = '${approvedInvoice.id}' AND ApprovalStatus = 'approved'`;
    expect(await until(() => workflowIdsMatching(query), (ids) => ids.length > 0, `a run matching ${query}`)).toEqual([workflowId]);
    expect(await workflowIdsMatching(`InvoiceId = '${approvedInvoice.id}' AND ApprovalStatus = 'pending_approval'`)).toEqual([]);
  });

  it('hands the approval\'s activities to the worker in its workflow task\'s answer: the dynamic config is in effect', async () => {
    const before = await eagerActivities(cluster.metricsUrl);
    const invoice = await pendingApproval();
    expect((await c.approver.http.post(`/v1/invoices/${invoice.id}/approve`, {})).status).toBe(200);
    await outcomeNotified(invoice.id);
    // Off by default in the server: only system.enableActivityEagerExecution makes it count anything.
    const after = await until(() => eagerActivities(cluster.metricsUrl), (n) => n > before, 'activity_eager_execution to count');
    console.log(`[cluster] activities dispatched eagerly for one approval: ${after - before}`);
  });

  it('creates a reminder definition\'s Temporal Schedule; triggered, its sweep emails the customer', async () => {
    const tenant = await createTenant(api1, { timezone: 'America/Vancouver' });
    const email = `customer-${randomUUID().slice(0, 8)}@client.test`;
    const customer = await tenant.admin.post('/v1/customers', { name: 'Grace Hopper', email });
    expect(customer.status).toBe(201);
    const today = todayIn('America/Vancouver', new Date());
    const invoice = await tenant.admin.post('/v1/invoices', {
      number: `INV-${randomUUID().slice(0, 8)}`, customerId: customer.body.id, amount: '1250.00', issueDate: today, dueDate: addDays(today, 2),
    });
    expect(invoice.status).toBe(201);
    const created = await tenant.admin.at(url2).post('/v1/workflows', {
      templateKey: 'payment-due-reminder', name: 'Due within three days',
      conditions: [{ field: 'balance', op: 'gt', value: '0' }, { field: 'dueDate', op: 'within_days', value: 3 }],
      actions: [{ type: 'email', to: 'customer', subject: 'Invoice {{invoiceNumber}} is due soon', body: 'Please pay {{money balance}}.' }],
      schedule: { time: '07:30' }, activate: true,
    });
    expect(created.status).toBe(201);
    const schedule = temporal.schedule.getHandle(workflowIds.reminderSchedule(created.body.id));
    expect((await schedule.describe()).state.paused).toBe(false);

    await schedule.trigger();
    const description = await until(() => schedule.describe(), (d) => d.info.recentActions.length > 0, 'the triggered action');
    const sweepId = description.info.recentActions[0].action.workflow.workflowId;
    expect(sweepId.startsWith(workflowIds.reminderSweep(created.body.id))).toBe(true);
    await temporal.workflow.getHandle(sweepId).result();
    const mails = await waitForMails(email, 1);
    expect(mails.map((m) => m.subject)).toEqual([`Invoice ${invoice.body.number} is due soon`]);
  });

  it('delivers a webhook event, signed', async () => {
    const received: { path: string; headers: IncomingHttpHeaders; body: string }[] = [];
    const server: Server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        received.push({ path: req.url ?? '/', headers: req.headers, body });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const tenant = await createTenant(api2);
      const endpoint = await tenant.admin.post('/v1/webhook-endpoints', {
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, events: ['payment.received'],
      });
      expect(endpoint.status).toBe(201);
      const customer = await createCustomer(tenant.admin);
      const invoice = await createInvoice(tenant.admin.at(url1), customer.id, { amount: '300.00' });
      const paid = await createPayment(tenant.admin, invoice.id, '120.50');
      const [got] = await until(async () => received, (r) => r.length > 0, 'the webhook', { attempts: 300 });
      expect(JSON.parse(got.body)).toMatchObject({ type: 'payment.received', companyId: tenant.companyId, data: { paymentId: paid.id, amount: '120.50' } });
      expect(verifyWebhookSignature(endpoint.body.secret, got.body, got.headers['relance-signature'] as string, Math.floor(Date.now() / 1000))).toBe(true);
    } finally {
      server.close();
    }
  });

  /** An invoice submitted for approval, its approval task open. */
  async function pendingApproval() {
    const invoice = await createLargeInvoice(c);
    expect((await c.creator.http.post(`/v1/invoices/${invoice.id}/submit-for-approval`)).status).toBe(200);
    await until(() => tasksOf(c.approver, 'open', invoice.id), (t) => t.length === 1, 'the approval task');
    return invoice;
  }

  /**
   * Approved through the API at `url` once it answers again, then decided once: one decision, the run's result, one
   * outcome email. The APIs reconnect on their own; a decision that reached the run before an error answer is a 409 on
   * the retry.
   */
  async function decidesOnceAfterTheRestart(invoice: { id: string; number: string }, url: string) {
    const approver = c.approver.http.at(url);
    const answer = await until(() => approver.post(`/v1/invoices/${invoice.id}/approve`, {}), (r) => r.status < 500, 'a decision accepted after the restart',
      { attempts: 60, intervalMs: 500 });
    expect([200, 409]).toContain(answer.status);
    const view = await until(() => c.creator.http.get(`/v1/invoices/${invoice.id}/approval`), (r) => r.body.status === 'approved', 'the approval decided');
    expect(view.body.decisions.map((d: { decision: string }) => d.decision)).toEqual(['approved']);
    expect((await temporal.workflow.getHandle(workflowIds.invoiceApproval(invoice.id, 1)).result()).status).toBe('approved');
    await outcomeNotified(invoice.id);
    expect((await mailsTo(c.creator.email)).filter((m) => m.subject === `Invoice ${invoice.number} was approved`)).toHaveLength(1);
  }

  it('keeps a pending approval through a kill -9 of the Temporal server and its restart; it decides once after', async () => {
    const invoice = await pendingApproval();

    const killedMs = await cluster.kill('temporal');
    const startedMs = await cluster.start('temporal');
    console.log(`[cluster] Temporal server killed in ${killedMs} ms, serving again ${startedMs} ms after its start`);

    await decidesOnceAfterTheRestart(invoice, url2);
  });

  it('keeps a pending approval through a kill -9 of PostgreSQL (the product\'s and Temporal\'s databases) and its restart', async () => {
    const invoice = await pendingApproval();

    await closeDb(); // this suite's own pool: its connections die with the server
    const killedMs = await cluster.kill('postgres');
    const startedMs = await cluster.start('postgres');
    console.log(`[cluster] PostgreSQL killed in ${killedMs} ms, accepting connections again ${startedMs} ms after its start`);

    await decidesOnceAfterTheRestart(invoice, url1);
  });
});

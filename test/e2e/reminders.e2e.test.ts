import { Client, Connection } from '@temporalio/client';
import { createHmac } from 'node:crypto';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { PaymentEventsService } from '../../src/api/reminders/payment-events.service';
import { TemporalClient } from '../../src/api/temporal/temporal.module';
import { loadConfig } from '../../src/config';
import { createDataSource } from '../../src/db/data-source';
import { testEnv } from '../support/env';
import { createTenant, createUser, Tenant } from '../support/fixtures';
import { Http } from '../support/http';
import { LedgerSeed } from '../support/ledger-seed';
import { mailsTo, waitForMails } from '../support/mail';
import { Stack } from '../support/stack';
import { until } from '../support/until';

// Definitions are seeded with SQL: the definitions API is written on another branch.
describe('reminders end to end: run-now → sweep → SMTP, inbox, webhook, tasks, memo → run history', () => {
  const stack = new Stack('reminders', { RELANCE_WEBHOOK_DISPATCH_INTERVAL_MS: '200' });
  let tenant: Tenant;
  let teammate: { id: string; email: string };
  let seed: LedgerSeed;
  let temporal: Client;
  let connection: Connection;
  let webhook: Server;
  const hooks: Array<{ body: string; signature: string | undefined }> = [];

  beforeAll(async () => {
    await stack.start();
    tenant = await createTenant(new Http(stack.baseUrl));
    teammate = await createUser(tenant, 'standard', 'Terry');
    seed = await new LedgerSeed(tenant.companyId, tenant.adminId).connect();
    connection = await Connection.connect({ address: testEnv().temporalAddress });
    temporal = new Client({ connection });
    webhook = createServer((req: IncomingMessage, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        hooks.push({ body, signature: req.headers['relance-signature'] as string | undefined });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => webhook.listen(0, '127.0.0.1', r));
  });
  afterAll(async () => {
    await seed?.end();
    await connection?.close();
    webhook?.close();
    await stack.stop();
  });

  /** Runs a definition now and waits for the sweep to finish; answers the run record from the API. */
  async function runNow(definitionId: string) {
    const res = await tenant.admin.post(`/v1/workflows/${definitionId}/run-now`);
    expect(res.status).toBe(202);
    await temporal.workflow.getHandle(res.body.temporalWorkflowId).result();
    return runOf(definitionId, res.body.temporalWorkflowId);
  }

  async function runOf(definitionId: string, temporalWorkflowId: string) {
    const list = await tenant.admin.get(`/v1/workflow-runs?workflowId=${definitionId}`);
    expect(list.status).toBe(200);
    const summary = list.body.data.find((r: { temporalWorkflowId: string }) => r.temporalWorkflowId === temporalWorkflowId);
    const detail = await tenant.admin.get(`/v1/workflow-runs/${summary.id}`);
    expect(detail.status).toBe(200);
    return detail.body;
  }

  it('payment-due-reminder: emails the customer of each invoice falling due, with rendered variables, and a task; once per due date', async () => {
    const ada = await seed.customer('Ada Lovelace');
    const due = await seed.invoice(ada.id, { amount: '1250.00', balance: '1250.00', dueIn: 2 });
    const bob = await seed.customer('Bob Later');
    await seed.invoice(bob.id, { dueIn: 10 });
    const paid = await seed.customer('Pat Paid');
    await seed.invoice(paid.id, { amount: '80.00', balance: '0.00', dueIn: 1 });
    const waiting = await seed.customer('Wes Waiting');
    await seed.invoice(waiting.id, { dueIn: 1, approvalStatus: 'pending_approval' });
    const def = await seed.definition('payment-due-reminder', {
      conditions: [{ field: 'amount', op: 'gt', value: '0' }, { field: 'dueDate', op: 'within_days', value: 3 }],
      actions: [
        { type: 'email', to: 'customer', subject: 'Invoice {{invoiceNumber}} is due on {{dueDate}}',
          body: 'Hello {{customerName}}, {{money balance}} is due on {{date dueDate}} ({{daysUntilDue}} days). {{companyName}}' },
        { type: 'task', assigneeId: teammate.id, title: 'Call {{customerName}} about {{invoiceNumber}}' },
      ],
    });

    const run = await runNow(def);
    expect(run).toMatchObject({ workflowId: def, kind: 'sweep', trigger: 'run-now', status: 'completed', outcome: 'succeeded', matched: 1, delivered: 2, failed: 0 });
    expect(run.temporalRunId).toMatch(/\S/);
    expect(run.deliveries.map((d: { channel: string; status: string }) => `${d.channel}:${d.status}`).sort()).toEqual(['email:sent', 'task:sent']);

    const [mail] = await waitForMails(ada.email, 1);
    expect(mail.subject).toBe(`Invoice ${due.number} is due on ${seed.day(2)}`);
    expect(mail.text).toContain('Hello Ada Lovelace, CA$1,250.00 is due on');
    expect(mail.text).toContain('(2 days)');
    expect(mail.text).toContain(String(tenant.company.name));
    for (const other of [bob, paid, waiting]) expect(await mailsTo(other.email)).toHaveLength(0);
    const tasks = await seed.query('SELECT title, kind, record_id, status FROM tasks WHERE assignee_id = $1 AND definition_id = $2', [teammate.id, def]);
    expect(tasks).toEqual([{ title: `Call Ada Lovelace about ${due.number}`, kind: 'reminder', record_id: due.id, status: 'open' }]);

    const again = await runNow(def);
    expect(again).toMatchObject({ matched: 1, delivered: 0, skipped: 2, failed: 0 });
    expect(await mailsTo(ada.email)).toHaveLength(1);
  });

  it('two overlapping run-now calls give exactly one email per record', async () => {
    const customers = await Promise.all(Array.from({ length: 6 }, (_, i) => seed.customer(`Overlap ${i}`)));
    for (const c of customers) await seed.invoice(c.id, { dueIn: 1, amount: '10.00' });
    const def = await seed.definition('payment-due-reminder', {
      conditions: [{ field: 'dueDate', op: 'within_days', value: 1 }, { field: 'customerId', op: 'in', value: customers.map((c) => c.id) }],
      actions: [{ type: 'email', to: 'customer', subject: 'Due soon: {{invoiceNumber}}', body: 'Hi {{customerName}}' }],
    });
    const [a, b] = await Promise.all([tenant.admin.post(`/v1/workflows/${def}/run-now`), tenant.admin.post(`/v1/workflows/${def}/run-now`)]);
    expect([a.status, b.status]).toEqual([202, 202]);
    expect(a.body.temporalWorkflowId).not.toBe(b.body.temporalWorkflowId);
    const results = await Promise.all([a, b].map((r) => temporal.workflow.getHandle(r.body.temporalWorkflowId).result()));
    expect(results.map((r) => r.matched)).toEqual([6, 6]);
    expect(results[0].delivered + results[1].delivered).toBe(6);
    expect(results[0].skipped + results[1].skipped).toBe(6);
    for (const c of customers) expect(await mailsTo(c.email)).toHaveLength(1);
  });

  it('send-unsent-invoices: emails and marks sent the unsent invoices, never one awaiting or refused approval', async () => {
    const c = await seed.customer('Sally Sender');
    const plain = await seed.invoice(c.id, { dueIn: 20, number: `S-PLAIN-${Date.now()}` });
    const approved = await seed.invoice(c.id, { dueIn: 20, approvalStatus: 'approved', number: `S-APPROVED-${Date.now()}` });
    const blocked = await Promise.all(['approval_required', 'pending_approval', 'rejected'].map((s) =>
      seed.invoice(c.id, { dueIn: 20, approvalStatus: s, number: `S-${s}-${Date.now()}` })));
    await seed.invoice(c.id, { dueIn: 20, sent: true });
    const def = await seed.definition('send-unsent-invoices', {
      conditions: [{ field: 'customerId', op: 'eq', value: c.id }],
      actions: [{ type: 'email', to: 'customer', subject: 'Invoice {{invoiceNumber}} from {{companyName}}', body: 'Amount: {{money amount}}, due {{date dueDate}}' }],
    });
    const run = await runNow(def);
    expect(run).toMatchObject({ matched: 2, delivered: 2, failed: 0 });
    expect(run.deliveries.every((d: { channel: string }) => d.channel === 'send')).toBe(true);
    const mails = await waitForMails(c.email, 2);
    expect(mails.map((m) => m.subject).sort()).toEqual([approved.number, plain.number].sort().map((n) => `Invoice ${n} from ${tenant.company.name}`));
    const sent = await seed.query<{ id: string; sent: boolean }>('SELECT id, sent_at IS NOT NULL AS sent FROM invoices WHERE id = ANY($1)',
      [[plain.id, approved.id, ...blocked.map((b) => b.id)]]);
    expect(Object.fromEntries(sent.map((r) => [r.id, r.sent]))).toEqual({
      [plain.id]: true, [approved.id]: true, [blocked[0].id]: false, [blocked[1].id]: false, [blocked[2].id]: false,
    });
    expect((await runNow(def)).matched).toBe(0);
  });

  it('overdue-invoice-stamp: stamps and rewrites the memo of overdue invoices once per due date', async () => {
    const c = await seed.customer('Olga Overdue');
    const late = await seed.invoice(c.id, { dueIn: -5, amount: '300.00', balance: '120.00' });
    const notYet = await seed.invoice(c.id, { dueIn: 3 });
    const def = await seed.definition('overdue-invoice-stamp', {
      conditions: [{ field: 'dueDate', op: 'overdue_by_days', value: 1 }, { field: 'customerId', op: 'eq', value: c.id }],
      actions: [{ type: 'stamp', text: 'OVERDUE' }, { type: 'memo', text: '{{money balance}} overdue by {{daysOverdue}} days' }],
    });
    const run = await runNow(def);
    expect(run).toMatchObject({ matched: 1, delivered: 2 });
    const rows = await seed.query('SELECT id, stamp, memo FROM invoices WHERE id = ANY($1) ORDER BY due_date', [[late.id, notYet.id]]);
    expect(rows).toEqual([{ id: late.id, stamp: 'OVERDUE', memo: 'CA$120.00 overdue by 5 days' }, { id: notYet.id, stamp: null, memo: '' }]);
    await seed.query(`UPDATE invoices SET memo = 'edited by hand' WHERE id = $1`, [late.id]);
    expect(await runNow(def)).toMatchObject({ matched: 1, delivered: 0, skipped: 2 });
    expect((await seed.query('SELECT memo FROM invoices WHERE id = $1', [late.id]))[0]).toEqual({ memo: 'edited by hand' });
  });

  it('unsent-invoice-reminder: emails the team, pushes to the inbox and to the signed webhook', async () => {
    const patch = await tenant.admin.patch('/v1/companies/me', { webhookUrl: `http://127.0.0.1:${(webhook.address() as AddressInfo).port}/hooks` });
    expect(patch.status).toBe(200);
    const secret: string = patch.body.webhookSecret;
    const delivered = await tenant.admin.post('/v1/webhook-endpoints', {
      url: `http://127.0.0.1:${(webhook.address() as AddressInfo).port}/reminders`, events: ['reminder.delivered'],
    });
    expect(delivered.status).toBe(201);
    const c = await seed.customer('Una Unsent');
    const inv = await seed.invoice(c.id, { dueIn: 15 });
    const def = await seed.definition('unsent-invoice-reminder', {
      conditions: [{ field: 'customerId', op: 'eq', value: c.id }],
      actions: [
        { type: 'email', to: { userIds: [teammate.id], emails: ['books@acme.test'] }, subject: 'Send invoice {{invoiceNumber}}', body: '{{customerName}} has not received it' },
        { type: 'push', userIds: [teammate.id], title: 'Unsent: {{invoiceNumber}}', body: 'for {{customerName}}' },
      ],
    });
    const run = await runNow(def);
    expect(run).toMatchObject({ matched: 1, delivered: 3, failed: 0 });
    // The webhook is an event of the push, delivered by its own workflow (webhooks.e2e.test.ts): not one of the sweep's.
    expect(run.deliveries.map((d: { channel: string }) => d.channel).sort()).toEqual(['email', 'email', 'push']);
    const [toTeammate] = await waitForMails(teammate.email, 1);
    expect(toTeammate.subject).toBe(`Send invoice ${inv.number}`);
    expect(await waitForMails('books@acme.test', 1)).toEqual(expect.arrayContaining([expect.objectContaining({ subject: `Send invoice ${inv.number}` })]));
    const inbox = await seed.query('SELECT title, body, record_id FROM notifications WHERE user_id = $1', [teammate.id]);
    expect(inbox).toEqual([{ title: `Unsent: ${inv.number}`, body: 'for Una Unsent', record_id: inv.id }]);
    const [hook] = await until(async () => hooks.filter((h) => h.body.includes(inv.id) && h.body.includes('"notification.pushed"')),
      (h) => h.length === 1, 'the push webhook');
    const t = /^t=(\d+),/.exec(hook.signature ?? '')?.[1];
    expect(hook.signature).toBe(`t=${t},v1=${createHmac('sha256', secret).update(`${t}.${hook.body}`).digest('hex')}`);
    expect(JSON.parse(hook.body)).toMatchObject({ type: 'notification.pushed', companyId: tenant.companyId });
    expect(JSON.parse(hook.body).data.notification).toMatchObject({ userId: teammate.id, title: `Unsent: ${inv.number}`, recordId: inv.id });
    // One reminder.delivered per record the sweep delivered to, with the channels that carried it.
    const [reminded] = await until(async () => hooks.filter((h) => h.body.includes(inv.id) && h.body.includes('"reminder.delivered"')),
      (h) => h.length === 1, 'the reminder.delivered event');
    expect(JSON.parse(reminded.body).data).toMatchObject({
      definitionId: def, templateKey: 'unsent-invoice-reminder', recordType: 'invoice', recordId: inv.id, channels: expect.arrayContaining(['email', 'push']),
    });
    expect(hooks.filter((h) => h.body.includes(inv.id))).toHaveLength(2);
    await tenant.admin.delete(`/v1/webhook-endpoints/${delivered.body.id}`);
    await tenant.admin.patch('/v1/companies/me', { webhookUrl: null });
  });

  it('bill-payment-reminder: reminds the team of unpaid bills falling due', async () => {
    const v = await seed.vendor('Vera Vendor');
    const bill = await seed.bill(v.id, { dueIn: 2, amount: '75.50', number: `BILL-${Date.now()}` });
    await seed.bill(v.id, { dueIn: 2, paid: true });
    await seed.bill(v.id, { dueIn: 30 });
    const def = await seed.definition('bill-payment-reminder', {
      conditions: [{ field: 'dueDate', op: 'within_days', value: 3 }, { field: 'vendorId', op: 'eq', value: v.id }],
      actions: [{ type: 'email', to: { userIds: [tenant.adminId] }, subject: 'Pay {{vendorName}} {{money amount}}', body: 'Bill {{billNumber}} due {{dueDate}}' }],
    });
    const run = await runNow(def);
    expect(run).toMatchObject({ matched: 1, delivered: 1 });
    expect(run.deliveries[0]).toMatchObject({ recordType: 'bill', recordId: bill.id, occurrence: `due-${seed.day(2)}` });
    const mails = (await waitForMails(tenant.adminEmail, 1)).filter((m) => m.subject.startsWith('Pay Vera Vendor'));
    expect(mails).toHaveLength(1);
    expect(mails[0].subject).toBe('Pay Vera Vendor CA$75.50');
  });

  it('bank-deposit-reminder: opens a task per payment left undeposited for longer than N days', async () => {
    const c = await seed.customer('Dora Deposit');
    const inv = await seed.invoice(c.id, { dueIn: 5, amount: '500.00' });
    const old = await seed.payment(inv.id, c.id, { daysAgo: 10, amount: '200.00' });
    await seed.payment(inv.id, c.id, { daysAgo: 1 });
    const def = await seed.definition('bank-deposit-reminder', {
      conditions: [{ field: 'receivedAt', op: 'older_than_days', value: 7 }, { field: 'customerId', op: 'eq', value: c.id }],
      actions: [{ type: 'task', assigneeId: tenant.adminId, title: 'Deposit {{money paymentAmount}} from {{customerName}} ({{daysSinceReceived}} days)' }],
    });
    expect(await runNow(def)).toMatchObject({ matched: 1, delivered: 1 });
    const tasks = await seed.query('SELECT title, record_type, record_id FROM tasks WHERE definition_id = $1', [def]);
    expect(tasks).toEqual([{ title: 'Deposit CA$200.00 from Dora Deposit (10 days)', record_type: 'payment', record_id: old.id }]);
  });

  it('payment-received: the payment hook starts payment-received-<paymentId>, which thanks the customer once', async () => {
    const c = await seed.customer('Paula Payer');
    const inv = await seed.invoice(c.id, { dueIn: 5, amount: '500.00', number: `P-${Date.now()}` });
    const def = await seed.definition('payment-received', {
      conditions: [{ field: 'amount', op: 'gte', value: '10.00' }],
      actions: [{ type: 'email', to: 'customer', subject: 'Thank you for {{money paymentAmount}}', body: 'Payment on {{invoiceNumber}} received {{receivedAt}}' }],
    });
    const small = await seed.payment(inv.id, c.id, { daysAgo: 0, amount: '5.00' });
    const payment = await seed.payment(inv.id, c.id, { daysAgo: 0, amount: '150.00' });

    const config = loadConfig({ ...process.env, TEMPORAL_TASK_QUEUE: stack.taskQueue });
    const dataSource = await createDataSource(config.databaseUrl, 2).initialize();
    const client = new TemporalClient(config);
    try {
      const events = new PaymentEventsService(client, dataSource);
      const started = await events.onPaymentRecorded({ id: payment.id, companyId: tenant.companyId });
      expect(started).toEqual({ workflowId: `payment-received-${payment.id}` });
      const result = await temporal.workflow.getHandle(started!.workflowId).result();
      expect(result.runs).toEqual([expect.objectContaining({ definitionId: def, outcome: 'completed', delivered: 1 })]);
      // A second call (a retried request) starts nothing new and sends nothing more.
      await events.onPaymentRecorded({ id: payment.id, companyId: tenant.companyId });
      const ignored = await events.onPaymentRecorded({ id: small.id, companyId: tenant.companyId });
      expect((await temporal.workflow.getHandle(ignored!.workflowId).result()).runs).toEqual([]);
    } finally {
      await client.connection.close();
      await dataSource.destroy();
    }
    const mails = await waitForMails(c.email, 1);
    expect(mails).toHaveLength(1);
    expect(mails[0].subject).toBe('Thank you for CA$150.00');
    expect(mails[0].text).toContain(`Payment on ${inv.number} received ${seed.day(0)}`);
    const runs = await tenant.admin.get(`/v1/workflow-runs?workflowId=${def}`);
    expect(runs.body.data).toEqual([expect.objectContaining({ kind: 'event', trigger: 'payment-recorded', matched: 1, delivered: 1 })]);
  });

  it('refuses run-now on an inactive definition, an event template and an unknown id', async () => {
    const inactive = await seed.definition('payment-due-reminder', { status: 'inactive', actions: [] });
    const event = await seed.definition('payment-received', { actions: [] });
    expect((await tenant.admin.post(`/v1/workflows/${inactive}/run-now`)).status).toBe(409);
    expect((await tenant.admin.post(`/v1/workflows/${event}/run-now`)).status).toBe(409);
    expect((await tenant.admin.post('/v1/workflows/00000000-0000-4000-8000-000000000000/run-now')).status).toBe(404);
    expect((await tenant.admin.post('/v1/workflows/nope/run-now')).status).toBe(400);
    const other = await createTenant(new Http(stack.baseUrl));
    expect((await other.admin.post(`/v1/workflows/${inactive}/run-now`)).status).toBe(404);
    expect((await other.admin.get(`/v1/workflow-runs?workflowId=${inactive}`)).status).toBe(404);
  });

  it('pages the run history newest first with a cursor', async () => {
    const c = await seed.customer('Hugo History');
    await seed.invoice(c.id, { dueIn: 1 });
    const def = await seed.definition('payment-due-reminder', {
      conditions: [{ field: 'customerId', op: 'eq', value: c.id }],
      actions: [{ type: 'email', to: 'customer', subject: 'x', body: 'y' }],
    });
    const ids: string[] = [];
    for (let i = 0; i < 3; i += 1) ids.push((await runNow(def)).id);
    const first = await tenant.admin.get(`/v1/workflow-runs?workflowId=${def}&limit=2`);
    expect(first.body.data.map((r: { id: string }) => r.id)).toEqual([ids[2], ids[1]]);
    const second = await tenant.admin.get(`/v1/workflow-runs?workflowId=${def}&limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body).toEqual({ data: [expect.objectContaining({ id: ids[0] })], nextCursor: null });
    expect((await tenant.admin.get('/v1/workflow-runs?cursor=garbage')).status).toBe(400);
  });
});

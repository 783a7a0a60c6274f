/* eslint-disable @typescript-eslint/no-explicit-any */
import { Client, Connection } from '@temporalio/client';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { addDays, todayIn } from '../../src/domain/dates';
import { closeDb, sql } from '../support/db';
import { testEnv } from '../support/env';
import { createTenant } from '../support/fixtures';
import { Http } from '../support/http';
import { createCustomer, createInvoice } from '../support/ledger';
import { bounceOf, type CaughtMail, complaintOf, mailsTo, outOfOfficeReplyTo, postInbound, replyTo, waitForMails } from '../support/mail';
import { Stack } from '../support/stack';
import { until } from '../support/until';

/** Offsets from the due date of the sequence's steps: step n falls today once the due date is moved to today minus its offset. */
const OFFSETS = [-3, 1, 7, 14, 21];

/**
 * Collections that listen, end to end: a real reminder run of a collection sequence through Temporal, caught by the
 * real SMTP listener, answered with a message built from that reminder's own reply address (its Reply-To, and its
 * envelope sender for what an MTA sends back) and posted to the real POST /v1/inbound/email; then the next run,
 * started with run-now after the invoice's due date is moved so that the next step falls today.
 *
 * The customer's answers from the reminder's page (already paid, dispute, promise to pay, each stopping the next step,
 * and a broken promise resuming it) are covered the same way, through a real run's links and the page's POSTs, in
 * customer-answers.e2e.test.ts ("a reminder run carries the links; each answer stops the next step, and a promise broken
 * unpaid resumes it once"); a statement run sending one email listing every due invoice of the customer, and a reply to
 * it pausing every invoice it listed, in statements.e2e.test.ts ("sends one email per customer listing every due
 * invoice, …", "pauses every invoice a statement listed when the customer replies to it, …").
 */
describe('collections that listen: answers to a real reminder run', () => {
  const stack = new Stack('collections-listen', { RELANCE_WEBHOOK_DISPATCH_INTERVAL_MS: '200' });
  let http: Http;
  let connection: Connection;
  let temporal: Client;
  let receiver: Server;
  let receiverUrl: string;
  const hooks: Array<{ path: string; body: any }> = [];

  beforeAll(async () => {
    await stack.start();
    http = new Http(stack.baseUrl);
    connection = await Connection.connect({ address: testEnv().temporalAddress });
    temporal = new Client({ connection });
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        // The port is ephemeral: a stray request (another suite's endpoint on a recycled port) is not one of ours.
        try {
          hooks.push({ path: req.url ?? '/', body: JSON.parse(body) });
        } catch {
          // not a webhook delivery
        }
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await connection?.close();
    receiver?.close();
    await closeDb();
    await stack.stop();
  });

  /**
   * A company of its own with a webhook endpoint, one customer, one invoice whose step 1 (3 days before its due date)
   * falls today, and an active sequence of five steps over it.
   */
  async function dunning(name: string) {
    const tenant = await createTenant(http);
    const today = todayIn(String(tenant.company.timezone), new Date());
    const endpoint = await tenant.admin.post('/v1/webhook-endpoints', {
      url: `${receiverUrl}/${tenant.companyId}`, events: ['email.bounced', 'customer.replied'],
    });
    expect(endpoint.status).toBe(201);
    const customer = await createCustomer(tenant.admin, { name });
    const invoice = await createInvoice(tenant.admin, customer.id, { amount: '240.00', issueDate: addDays(today, -30), dueDate: addDays(today, 3) });
    const def = await tenant.admin.post('/v1/workflows', {
      templateKey: 'collection-sequence', name: `Dunning ${name}`, activate: true,
      steps: OFFSETS.map((offsetDays, i) => ({ offsetDays, subject: `Step ${i + 1}: {{invoiceNumber}}`, body: `Hello {{customerName}}, {{money balance}} is due on {{dueDate}}.` })),
      conditions: [{ field: 'customerId', op: 'in', value: [customer.id] }],
    });
    expect(def.status).toBe(201);
    const email = String(customer.email).toLowerCase();
    const admin = tenant.admin;
    return {
      tenant, customer, invoice, email, today,
      /** Run-now, answering the sweep's result once it completed. */
      async run() {
        const res = await admin.post(`/v1/workflows/${def.body.id}/run-now`);
        expect(res.status).toBe(202);
        return temporal.workflow.getHandle(res.body.temporalWorkflowId).result();
      },
      /** The due date moved so that step `n` (1-based) falls today. */
      async stepFallsToday(n: number) {
        expect((await admin.patch(`/v1/invoices/${invoice.id}`, { dueDate: addDays(today, -OFFSETS[n - 1]) })).status).toBe(200);
      },
      async deliveries(runRecordId: string) {
        return (await admin.get(`/v1/workflow-runs/${runRecordId}/deliveries`)).body.data as any[];
      },
      async customerNow() {
        return (await admin.get(`/v1/customers/${customer.id}`)).body;
      },
      async suppressions() {
        return (await admin.get(`/v1/suppressions?address=${encodeURIComponent(email)}`)).body.data as any[];
      },
      async tasks(recordId: string) {
        return (await admin.get(`/v1/tasks?recordId=${recordId}`)).body.data as any[];
      },
      hooks(type: string) {
        return hooks.filter((h) => h.path === `/${tenant.companyId}` && h.body.type === type);
      },
      /** The reminder it sent last, once caught: the `n`th email to the customer. */
      async nth(n: number): Promise<CaughtMail> {
        const mails = await waitForMails(email, n);
        expect(mails.map((m) => m.subject)).toEqual(Array.from({ length: n }, (_, i) => `Step ${i + 1}: ${invoice.number}`));
        return mails[n - 1];
      },
    };
  }

  const inbound = (raw: Buffer) => postInbound(stack.baseUrl, raw);
  const keyOf = (mail: CaughtMail) => mail.headers['x-relance-delivery'];

  it('a 5.1.1 DSN suppresses and the next run skips the address (recorded skipped, reason suppressed)', async () => {
    const s = await dunning('Hard Bounce');
    expect(await s.run()).toMatchObject({ matched: 1, delivered: 1, skipped: 0, failed: 0 });
    const step1 = await s.nth(1);

    expect(await inbound(bounceOf(step1, '5.1.1'))).toEqual({ status: 200, body: { outcome: 'suppressed', kind: 'bounce' } });
    const [suppression] = await s.suppressions();
    expect(suppression).toEqual({
      id: expect.any(String), address: s.email, origin: 'bounce', reason: `5.1.1 550 5.1.1 user unknown`, deliveryKey: keyOf(step1), createdAt: expect.any(String),
    });
    // A bounce is no opt-out: the address is what is wrong, and the team is asked to fix it.
    expect(await s.customerNow()).toMatchObject({ emailStatus: 'bounced', remindersEnabled: true });
    const [task] = await s.tasks(s.customer.id);
    expect(task).toMatchObject({ status: 'open', assigneeId: s.tenant.adminId, recordType: 'customer', title: `Fix the email address of ${s.customer.name}` });
    const [bounced] = await until(async () => s.hooks('email.bounced'), (h) => h.length === 1, 'the email.bounced webhook');
    expect(bounced.body.data).toEqual({
      suppressionId: suppression.id, address: s.email, customerId: s.customer.id, origin: 'bounce', status: '5.1.1', permanent: true,
      reason: suppression.reason, deliveryKey: keyOf(step1),
    });
    const trail = (await s.tenant.admin.get('/v1/audit-events?type=suppression.created')).body.data;
    expect(trail).toEqual([expect.objectContaining({ targetId: suppression.id, actorId: null, data: { origin: 'bounce', status: '5.1.1' } })]);

    await s.stepFallsToday(2);
    const next = await s.run();
    expect(next).toMatchObject({ matched: 1, delivered: 0, skipped: 1, failed: 0 });
    expect(await s.deliveries(next.runRecordId!)).toEqual([expect.objectContaining({
      recordId: s.invoice.id, occurrence: 'step-2', channel: 'email', recipient: s.email, status: 'skipped', skipReason: 'suppressed',
    })]);
    expect(await mailsTo(s.email)).toHaveLength(1);
    // Nor through the API: sending the invoice itself is refused, naming the suppression.
    const send = await s.tenant.admin.post(`/v1/invoices/${s.invoice.id}/send`);
    expect(send.status).toBe(409);
    expect(send.body.message).toContain(`suppression ${suppression.id}`);

    // The team does what the task asks: with a working address, the step the skip did not use up goes to it.
    const fixed = `fixed-${s.email}`;
    expect((await s.tenant.admin.patch(`/v1/customers/${s.customer.id}`, { email: fixed })).body).toMatchObject({ emailStatus: 'ok' });
    expect(await s.run()).toMatchObject({ matched: 1, delivered: 1, skipped: 0 });
    expect((await waitForMails(fixed, 1)).map((m) => m.subject)).toEqual([`Step 2: ${s.invoice.number}`]);
    expect(await mailsTo(s.email)).toHaveLength(1);
  });

  it('a 5.1.1 DSN from a relay that rewrote the envelope sender maps by the headers it returns', async () => {
    const s = await dunning('Relayed Bounce');
    await s.run();
    const step1 = await s.nth(1);
    // The relay's hook posts the DSN it received at its own bounce address: only its returned headers name the reply address.
    const dsn = bounceOf(step1, '5.1.1').toString().replace(`To: ${step1.envelope.from}\r\n`, 'To: bounces@relay.test\r\n');
    expect(dsn).not.toContain(`To: ${step1.envelope.from}`);
    expect(await inbound(Buffer.from(dsn))).toEqual({ status: 200, body: { outcome: 'suppressed', kind: 'bounce' } });
    expect(await s.suppressions()).toEqual([expect.objectContaining({ origin: 'bounce', deliveryKey: keyOf(step1) })]);
  });

  it('a 4.x.x DSN three times (three deliveries within 30 days) suppresses; two do not, nor one delivery failing twice', async () => {
    const s = await dunning('Soft Bounce');
    const sendStep = async (n: number) => {
      if (n > 1) await s.stepFallsToday(n);
      expect({ step: n, run: await s.run() }).toMatchObject({ step: n, run: { matched: 1, delivered: 1, skipped: 0 } });
      return s.nth(n);
    };
    const notSuppressed = async () => {
      expect(await s.suppressions()).toEqual([]);
      expect(await s.customerNow()).toMatchObject({ emailStatus: 'ok' });
    };

    const step1 = await sendStep(1);
    const report = bounceOf(step1, '4.2.2', '452 4.2.2 mailbox full');
    expect(await inbound(report)).toEqual({ status: 200, body: { outcome: 'counted', kind: 'bounce' } });
    // The MTA posting the same report again (its Message-ID), and other reports about the same delivery: still one failed delivery.
    expect((await inbound(report)).body.outcome).toBe('duplicate');
    expect((await inbound(bounceOf(step1, '4.2.2', '452 4.2.2 mailbox full'))).body.outcome).toBe('counted');
    expect((await inbound(bounceOf(step1, '4.4.1', '421 4.4.1 connection timed out'))).body.outcome).toBe('counted');
    await notSuppressed();

    const step2 = await sendStep(2);
    expect((await inbound(bounceOf(step2, '4.2.2', '452 4.2.2 mailbox full'))).body.outcome).toBe('counted');
    await notSuppressed();

    // Two deliveries failed: the third step still goes. The first failure is moved out of the 30 days: the third
    // delivery's failure makes two within them, not three.
    const step3 = await sendStep(3);
    await sql(`UPDATE inbound_receipts SET received_at = received_at - interval '31 days' WHERE company_id = $1 AND delivery_key = $2`,
      [s.tenant.companyId, keyOf(step1)]);
    expect((await inbound(bounceOf(step3, '4.2.2', '452 4.2.2 mailbox full'))).body.outcome).toBe('counted');
    await notSuppressed();

    const step4 = await sendStep(4);
    expect(await inbound(bounceOf(step4, '4.2.2', '452 4.2.2 mailbox full'))).toEqual({ status: 200, body: { outcome: 'suppressed', kind: 'bounce' } });
    const [suppression] = await s.suppressions();
    expect(suppression).toMatchObject({ origin: 'soft_bounces', reason: '3 temporary failures in 30 days, last 4.2.2 452 4.2.2 mailbox full', deliveryKey: keyOf(step4) });
    expect(await s.customerNow()).toMatchObject({ emailStatus: 'bounced', remindersEnabled: true });
    const [bounced] = await until(async () => s.hooks('email.bounced'), (h) => h.length === 1, 'the email.bounced webhook');
    expect(bounced.body.data).toMatchObject({ suppressionId: suppression.id, origin: 'soft_bounces', status: '4.2.2', permanent: false });

    await s.stepFallsToday(5);
    const next = await s.run();
    expect(next).toMatchObject({ matched: 1, delivered: 0, skipped: 1 });
    expect(await s.deliveries(next.runRecordId!)).toEqual([expect.objectContaining({ occurrence: 'step-5', status: 'skipped', skipReason: 'suppressed' })]);
    expect(await mailsTo(s.email)).toHaveLength(4);
  });

  it('an ARF complaint opts out: remindersEnabled false, emailStatus complained, the address suppressed', async () => {
    const s = await dunning('Complaining');
    await s.run();
    const step1 = await s.nth(1);

    expect(await inbound(complaintOf(step1))).toEqual({ status: 200, body: { outcome: 'suppressed', kind: 'complaint' } });
    expect(await s.customerNow()).toMatchObject({ remindersEnabled: false, emailStatus: 'complained' });
    expect(await s.suppressions()).toEqual([expect.objectContaining({ origin: 'complaint', reason: 'complaint (abuse)', deliveryKey: keyOf(step1) })]);

    await s.stepFallsToday(2);
    const next = await s.run();
    expect(next).toMatchObject({ matched: 1, delivered: 0, skipped: 1 });
    expect(await s.deliveries(next.runRecordId!)).toEqual([expect.objectContaining({ occurrence: 'step-2', status: 'skipped', skipReason: 'suppressed' })]);
    // Opted back in by a user, the customer still gets nothing while the address stays suppressed.
    expect((await s.tenant.admin.patch(`/v1/customers/${s.customer.id}`, { remindersEnabled: true })).status).toBe(200);
    const again = await s.run();
    expect(again).toMatchObject({ matched: 1, delivered: 0, skipped: 1 });
    expect(await s.deliveries(again.runRecordId!)).toEqual([expect.objectContaining({ status: 'skipped', skipReason: 'suppressed' })]);
    expect(await mailsTo(s.email)).toHaveLength(1);
  });

  it('an out-of-office reply changes nothing: no pause, no task, no suppression, no event, and the next step goes', async () => {
    const s = await dunning('Away');
    await s.run();
    const step1 = await s.nth(1);
    // Each its own subject: the same automatic answer to the same delivery twice is one message (a retried post).
    const auto = (n: number, headers: Record<string, string>) => replyTo(step1, { subject: `Re: ${step1.subject} (${n})`, text: 'Away.', headers });
    const autoReplies: Array<[string, Buffer]> = [
      ['Auto-Submitted (RFC 3834)', await outOfOfficeReplyTo(step1)],
      ['X-Autoreply', await auto(1, { 'X-Autoreply': 'yes' })],
      ['X-Autorespond', await auto(2, { 'X-Autorespond': 'yes' })],
      ['Precedence: auto_reply', await auto(3, { Precedence: 'auto_reply' })],
      ['Precedence: bulk', await auto(4, { Precedence: 'bulk' })],
      ['Precedence: junk', await auto(5, { Precedence: 'junk' })],
      ['an English subject', await replyTo(step1, { subject: `Out of Office: ${step1.subject}`, text: 'Back on Monday.' })],
      ['a French subject', await replyTo(step1, { subject: `Réponse automatique : ${step1.subject}`, text: 'Je suis absente jusqu\'au 5.' })],
    ];
    for (const [what, raw] of autoReplies) {
      expect({ what, ...(await inbound(raw)) }).toEqual({ what, status: 200, body: { outcome: 'recorded', kind: 'auto_reply' } });
    }

    expect((await s.tenant.admin.get(`/v1/invoices/${s.invoice.id}/reminder-pause`)).body).toMatchObject({ paused: false, reason: null });
    expect([...await s.tasks(s.invoice.id), ...await s.tasks(s.customer.id)]).toEqual([]);
    expect(await s.suppressions()).toEqual([]);
    expect(await s.customerNow()).toMatchObject({ emailStatus: 'ok', remindersEnabled: true });
    expect(await sql('SELECT type FROM webhook_events WHERE company_id = $1', [s.tenant.companyId])).toEqual([]);
    // Kept on the invoice as what came back, and nothing more.
    const messages = (await s.tenant.admin.get(`/v1/invoices/${s.invoice.id}/messages?limit=100`)).body.data as any[];
    expect(messages.map((m) => `${m.direction} ${m.kind}`)).toEqual(['out reminder', ...autoReplies.map(() => 'in auto_reply')]);

    await s.stepFallsToday(2);
    expect(await s.run()).toMatchObject({ matched: 1, delivered: 1, skipped: 0 });
    await s.nth(2);
  });

  it('a person\'s reply pauses (customer replied), is listed in the invoice\'s messages as plain text, opens a task, emits customer.replied', async () => {
    const s = await dunning('Replying');
    await s.run();
    const step1 = await s.nth(1);
    // Written in HTML only, as many mail clients do: kept and answered as its text.
    const reply = await replyTo(step1, { html: '<div dir="ltr"><p>We paid by <b>wire</b> on Tuesday.</p><script>alert(1)</script></div>' });

    expect(await inbound(reply)).toEqual({ status: 200, body: { outcome: 'paused', kind: 'reply' } });
    expect((await s.tenant.admin.get(`/v1/invoices/${s.invoice.id}/reminder-pause`)).body).toMatchObject({ paused: true, until: null, reason: 'customer replied' });

    const messages = await s.tenant.admin.get(`/v1/invoices/${s.invoice.id}/messages`);
    expect(messages.status).toBe(200);
    expect(messages.body.data).toEqual([
      expect.objectContaining({ direction: 'out', kind: 'reminder', deliveryKey: keyOf(step1), to: s.email, subject: step1.subject }),
      expect.objectContaining({ direction: 'in', kind: 'reply', deliveryKey: keyOf(step1), from: s.email, subject: `Re: ${step1.subject}`, text: 'We paid by wire on Tuesday.' }),
    ]);
    expect(messages.body.data[0].createdAt <= messages.body.data[1].createdAt).toBe(true);

    const [task] = await s.tasks(s.invoice.id);
    expect(task).toMatchObject({ status: 'open', assigneeId: s.tenant.adminId, recordType: 'invoice', title: `${s.customer.name} replied about ${s.invoice.number}` });
    const [replied] = await until(async () => s.hooks('customer.replied'), (h) => h.length === 1, 'the customer.replied webhook');
    expect(replied.body.data).toEqual({
      customerId: s.customer.id, invoiceIds: [s.invoice.id], deliveryKey: keyOf(step1), from: s.email, subject: `Re: ${step1.subject}`,
    });

    // Paused: the next step waits, without a row day after day, until the team resumes the reminders.
    await s.stepFallsToday(2);
    expect(await s.run()).toMatchObject({ matched: 0, delivered: 0 });
    expect(await mailsTo(s.email)).toHaveLength(1);
    expect((await s.tenant.admin.post(`/v1/invoices/${s.invoice.id}/resume-reminders`)).status).toBe(200);
    expect(await s.run()).toMatchObject({ matched: 1, delivered: 1 });
    await s.nth(2);
  });
});

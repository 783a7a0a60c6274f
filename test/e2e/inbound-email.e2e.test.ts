import { Client, Connection } from '@temporalio/client';
import { createHash, randomBytes } from 'node:crypto';
import { addDays, todayIn } from '../../src/domain/dates';
import { base32 } from '../../src/domain/inbound/reply-address';
import { testEnv } from '../support/env';
import { closeDb, sql } from '../support/db';
import { createTenant, Tenant } from '../support/fixtures';
import { Http } from '../support/http';
import { createCustomer, createInvoice } from '../support/ledger';
import { bounceOf, type CaughtMail, complaintOf, INBOUND_DOMAIN, outOfOfficeReplyTo, postInbound, replyAddressOf, replyTo, waitForMails } from '../support/mail';
import { Stack } from '../support/stack';

/* eslint-disable @typescript-eslint/no-explicit-any */
/**
 * The inbound endpoint as an MTA pipe or a provider's hook calls it: its own bearer secret, a raw RFC 5322 message,
 * a bounded body, and nothing changed by what it cannot map to a delivery.
 */
describe('POST /v1/inbound/email', () => {
  const stack = new Stack('inbound-email', { INBOUND_BODY_LIMIT: '64kb' });
  let tenant: Tenant;

  beforeAll(async () => {
    await stack.start();
    tenant = await createTenant(new Http(stack.baseUrl));
  });
  afterAll(async () => {
    await closeDb();
    await stack.stop();
  });

  const newToken = () => base32(randomBytes(20));
  /** A message as the tests' mail catcher would have caught it, sent to `to` with `replyAddress` as its Reply-To and envelope sender. */
  const caught = (to: string, replyAddress: string): CaughtMail => ({
    id: '1', envelope: { from: replyAddress, to: [to] }, subject: 'Step 2: INV-1 is past due', text: 'Please pay.', html: null, headers: {},
    headerLines: { from: 'Acme <no-reply@relance.test>', to, 'reply-to': replyAddress, subject: 'Step 2: INV-1 is past due', 'message-id': '<m1@delivery.relance>' },
    attachments: [],
  });

  it('refuses a caller without the inbound secret with a 401, an API key included, and reads nothing', async () => {
    const raw = await replyTo(caught('bob@customer.test', `r-${newToken()}@${INBOUND_DOMAIN}`));
    const apiKey = (await tenant.admin.post(`/v1/users/${tenant.adminId}/api-keys`)).body.apiKey as string;
    for (const secret of [null, 'wrong-secret', apiKey, '']) {
      const res = await postInbound(stack.baseUrl, raw, { secret });
      expect({ secret, status: res.status }).toEqual({ secret, status: 401 });
      expect(res.body.message).toBe('send "Authorization: Bearer <RELANCE_INBOUND_SECRET>"');
    }
    // Without the secret, a body over the limit is refused for its missing credential, never read.
    expect((await postInbound(stack.baseUrl, Buffer.alloc(200 * 1024, 'a'), { secret: null })).status).toBe(401);
  });

  it('answers 413 above INBOUND_BODY_LIMIT and takes a message just under it', async () => {
    const reply = (size: number) => replyTo(caught('bob@customer.test', `r-${newToken()}@${INBOUND_DOMAIN}`), { text: 'x'.repeat(size) });
    const over = await postInbound(stack.baseUrl, await reply(70 * 1024));
    expect(over).toEqual({ status: 413, body: { statusCode: 413, error: 'Payload Too Large', message: 'the message is larger than INBOUND_BODY_LIMIT (65536 bytes)' } });
    expect((await postInbound(stack.baseUrl, await reply(60 * 1024))).status).toBe(200);
  });

  it('refuses what is not a message with a 4xx, never a 500', async () => {
    const reply = await replyTo(caught('bob@customer.test', `r-${newToken()}@${INBOUND_DOMAIN}`));
    const cases: [string, Buffer | string, string, number][] = [
      ['JSON', '{"from":"a@b.c"}', 'application/json', 415],
      ['a form', 'from=a%40b.c', 'application/x-www-form-urlencoded', 415],
      ['an empty body', '', 'message/rfc822', 400],
      ['binary bytes', randomBytes(4096), 'message/rfc822', 400],
      ['text without a header', 'hello there\r\n\r\nthis is no message', 'message/rfc822', 400],
      ['headers without From', 'To: a@b.c\r\nSubject: hi\r\n\r\nbody', 'message/rfc822', 400],
      ['a NUL in the headers', Buffer.concat([Buffer.from('From: a@b.c\r\nSubject: h'), Buffer.from([0]), Buffer.from('i\r\n\r\nbody')]), 'message/rfc822', 400],
    ];
    for (const [what, body, contentType, status] of cases) {
      const res = await postInbound(stack.baseUrl, body, { contentType });
      expect({ what, status: res.status, error: typeof res.body.message }).toEqual({ what, status, error: 'string' });
    }
    // The same message as application/octet-stream (what `curl --data-binary` and many hooks send) is taken.
    expect((await postInbound(stack.baseUrl, reply, { contentType: 'application/octet-stream' })).status).toBe(200);
  });

  it('changes nothing for an unknown or forged reply address, whatever the message claims', async () => {
    const customer = await createCustomer(tenant.admin, { name: 'Forged' });
    const invoice = await createInvoice(tenant.admin, customer.id, { amount: '100.00' });
    const forged = caught(customer.email, `r-${newToken()}@${INBOUND_DOMAIN}`);
    // What an attacker can copy from a real reminder, beside the reply address's token: its delivery header and Message-ID.
    forged.headerLines['x-relance-delivery'] = `wf|invoice:${invoice.id}|step-1`;
    const otherDomain = caught(customer.email, `r-${newToken()}@elsewhere.test`);
    for (const raw of [await replyTo(forged), bounceOf(forged, '5.1.1'), await replyTo(otherDomain), bounceOf(otherDomain)]) {
      expect(await postInbound(stack.baseUrl, raw)).toEqual({ status: 200, body: { outcome: 'unmatched' } });
    }
    const [row] = await sql<any>('SELECT reminders_paused_at, email_status FROM invoices i JOIN customers c ON c.id = i.customer_id WHERE i.id = $1', [invoice.id]);
    expect(row).toEqual({ reminders_paused_at: null, email_status: 'ok' });
    expect(await sql('SELECT 1 FROM suppressions WHERE company_id = $1', [tenant.companyId])).toEqual([]);
    expect(await sql('SELECT 1 FROM invoice_messages WHERE invoice_id = $1', [invoice.id])).toEqual([]);
  });

  it('hands a bounce to a known reply address over, classified, whatever the case of its address', async () => {
    const customer = await createCustomer(tenant.admin, { name: 'Bounced' });
    const invoice = await createInvoice(tenant.admin, customer.id, { amount: '100.00' });
    const token = newToken();
    await sql(`INSERT INTO reply_addresses (company_id, token_hash, delivery_key, recipient, customer_id, invoice_ids)
               VALUES ($1, $2, $3, $4, $5, $6)`,
    [tenant.companyId, createHash('sha256').update(token).digest(), `inbound-e2e|${token}`, customer.email, customer.id, [invoice.id]]);
    const mail = caught(customer.email, `R-${token.toUpperCase()}@${INBOUND_DOMAIN.toUpperCase()}`);
    const res = await postInbound(stack.baseUrl, bounceOf(mail, '5.1.1'));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ outcome: expect.any(String), kind: 'bounce' });
    expect(res.body.outcome).not.toBe('unmatched');
  });
});

describe('reply addresses of real reminders (VERP)', () => {
  const stack = new Stack('inbound-verp');
  let tenant: Tenant;
  let connection: Connection;

  beforeAll(async () => {
    await stack.start();
    tenant = await createTenant(new Http(stack.baseUrl));
    connection = await Connection.connect({ address: testEnv().temporalAddress });
  });
  afterAll(async () => {
    await connection?.close();
    await closeDb();
    await stack.stop();
  });

  it('gives each reminder its own reply address, as Reply-To and envelope sender, that maps its bounce, reply and complaint to its delivery', async () => {
    const today = todayIn(String(tenant.company.timezone), new Date());
    const customers = await Promise.all(['Verp One', 'Verp Two'].map((name) => createCustomer(tenant.admin, { name })));
    for (const customer of customers) {
      await createInvoice(tenant.admin, customer.id, { amount: '240.00', issueDate: addDays(today, -40), dueDate: addDays(today, -1) });
    }
    const created = await tenant.admin.post('/v1/workflows', {
      templateKey: 'collection-sequence', name: 'Dunning with replies', activate: true,
      steps: [{ offsetDays: 1, subject: 'Step 1: {{invoiceNumber}} is past due', body: 'Hello {{customerName}}, {{money balance}} was due on {{dueDate}}.' }],
      conditions: [{ field: 'customerId', op: 'in', value: customers.map((c) => c.id) }],
    });
    expect(created.status).toBe(201);
    const run = await tenant.admin.post(`/v1/workflows/${created.body.id}/run-now`);
    expect(run.status).toBe(202);
    await new Client({ connection }).workflow.getHandle(run.body.temporalWorkflowId).result();

    const [first, second] = await Promise.all(customers.map(async (c) => (await waitForMails(c.email, 1))[0]));
    for (const mail of [first, second]) {
      const address = replyAddressOf(mail);
      expect(address).toMatch(new RegExp(`^r-[a-z2-7]{32}@${INBOUND_DOMAIN.replace(/\./g, '\\.')}$`));
      expect(mail.envelope.from).toBe(address);
      // Stored as its token's SHA-256 only, with the delivery it was minted for.
      const token = address.slice(2, address.indexOf('@'));
      const rows = await sql<any>('SELECT delivery_key, recipient, token_hash FROM reply_addresses WHERE token_hash = $1', [createHash('sha256').update(token).digest()]);
      expect(rows.map((r) => ({ key: r.delivery_key, recipient: r.recipient }))).toEqual([{ key: mail.headers['x-relance-delivery'], recipient: mail.envelope.to[0] }]);
      expect(await sql('SELECT 1 FROM reply_addresses WHERE token_hash = $1', [Buffer.from(token)])).toEqual([]);
    }
    expect(replyAddressOf(first)).not.toBe(replyAddressOf(second));

    const answers: [string, Buffer][] = [
      ['bounce', bounceOf(first, '5.1.1')], ['bounce', bounceOf(first, '4.2.2')], ['complaint', complaintOf(first)],
      ['auto_reply', await outOfOfficeReplyTo(second)], ['reply', await replyTo(second, { text: 'We paid by wire on Tuesday.' })],
    ];
    const outcomes: string[] = [];
    for (const [kind, raw] of answers) {
      const res = await postInbound(stack.baseUrl, raw);
      expect({ kind, status: res.status, answer: res.body.kind }).toEqual({ kind, status: 200, answer: kind });
      outcomes.push(res.body.outcome!);
    }
    expect(outcomes).toEqual(['suppressed', 'counted', 'already suppressed', 'recorded', 'paused']);
    // Each reached the effects as the delivery its address was minted for: the first's address is suppressed with its
    // delivery, the second's invoice paused by the reply.
    expect(await sql('SELECT delivery_key FROM suppressions WHERE company_id = $1 AND address = $2', [tenant.companyId, first.envelope.to[0]]))
      .toEqual([{ delivery_key: first.headers['x-relance-delivery'] }]);
    expect(await sql('SELECT reminders_pause_reason FROM invoices WHERE customer_id = $1', [customers[1].id])).toEqual([{ reminders_pause_reason: 'customer replied' }]);
  });

  it('gives the invoice sent through the API its own reply address too, without the reminders\' unsubscribe link, and maps its bounce to that send', async () => {
    const customer = await createCustomer(tenant.admin, { name: 'Verp Invoice' });
    const invoice = await createInvoice(tenant.admin, customer.id, { amount: '310.00' });
    expect((await tenant.admin.post(`/v1/invoices/${invoice.id}/send`)).status).toBe(200);
    const [mail] = await waitForMails(customer.email, 1);
    const address = replyAddressOf(mail);
    expect(address).toMatch(new RegExp(`^r-[a-z2-7]{32}@${INBOUND_DOMAIN.replace(/\./g, '\\.')}$`));
    expect(mail.envelope.from).toBe(address);
    // The invoice itself is transactional: no unsubscribe link, no answer links.
    expect(mail.headerLines['list-unsubscribe']).toBeUndefined();
    expect(mail.text).not.toMatch(/\/unsubscribe\/|\/r\//);
    const token = address.slice(2, address.indexOf('@'));
    expect(await sql<any>('SELECT delivery_key, recipient, customer_id, invoice_ids FROM reply_addresses WHERE token_hash = $1', [createHash('sha256').update(token).digest()]))
      .toEqual([{ delivery_key: mail.headers['x-relance-delivery'], recipient: customer.email.toLowerCase(), customer_id: customer.id, invoice_ids: [invoice.id] }]);

    const res = await postInbound(stack.baseUrl, bounceOf(mail, '5.1.1'));
    expect(res).toEqual({ status: 200, body: { kind: 'bounce', outcome: 'suppressed' } });
    const [suppression] = await sql<any>('SELECT id, delivery_key FROM suppressions WHERE company_id = $1 AND address = $2', [tenant.companyId, customer.email.toLowerCase()]);
    expect(suppression.delivery_key).toBe(mail.headers['x-relance-delivery']);
    const again = await tenant.admin.post(`/v1/invoices/${invoice.id}/send`);
    expect(again.status).toBe(409);
    expect(again.body.message).toContain(`suppression ${suppression.id}`);
  });
});

describe('POST /v1/inbound/email while RELANCE_INBOUND_SECRET is unset', () => {
  const stack = new Stack('inbound-email-off', { RELANCE_INBOUND_SECRET: '' });
  beforeAll(() => stack.start());
  afterAll(() => stack.stop());

  it('does not exist: a 404 as for any unknown route, with or without a secret', async () => {
    const raw = 'From: bob@customer.test\r\nTo: r-abc@inbound.relance.test\r\nSubject: hi\r\n\r\nhello';
    for (const secret of [null, 'inbound-secret-of-the-tests-0123456789abcdef']) {
      expect((await postInbound(stack.baseUrl, raw, { secret })).status).toBe(404);
    }
  });
});

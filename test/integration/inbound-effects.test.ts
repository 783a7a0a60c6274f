import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../../src/db/data-source';
import { applyInbound } from '../../src/db/inbound-effects';
import type { MatchedReplyAddress } from '../../src/domain/inbound/inbound-event';
import { testEnv } from '../support/env';

/** What an inbound message changes, against the real Postgres: each rule in one transaction, a repeat changing nothing. */
describe(applyInbound.name, () => {
  let dataSource: DataSource;
  let companyId: string;
  let adminId: string;
  const tag = randomUUID().slice(0, 8);
  const at = new Date('2026-12-07T10:00:00Z');

  beforeAll(async () => {
    dataSource = await createDataSource(testEnv().databaseUrl, 2).initialize();
    [{ id: companyId }] = await dataSource.query(
      `INSERT INTO companies (name, locale, timezone, currency, plan) VALUES ($1, 'en-US', 'America/Toronto', 'CAD', 'advanced') RETURNING id`,
      [`Inbound ${tag}`]);
    [{ id: adminId }] = await dataSource.query(
      `INSERT INTO users (company_id, name, email, role) VALUES ($1, 'Ada', $2, 'admin') RETURNING id`, [companyId, `ada-${tag}@inbound.test`]);
    await dataSource.query(
      `INSERT INTO webhook_endpoints (company_id, url, events, secret) VALUES ($1, 'http://127.0.0.1:9/all', ARRAY['*'], 'x')`, [companyId]);
  });
  afterAll(async () => {
    await dataSource?.destroy();
  });

  /** A customer with `invoices` open invoices and the reply address of one delivery to them. */
  async function customerWithDelivery(invoices = 1): Promise<{ customerId: string; email: string; invoiceIds: string[]; address: MatchedReplyAddress }> {
    const email = `billing-${randomUUID().slice(0, 8)}@globex.test`;
    const [{ id: customerId }] = await dataSource.query(
      `INSERT INTO customers (company_id, name, email) VALUES ($1, 'Globex', $2) RETURNING id`, [companyId, email]);
    const invoiceIds: string[] = [];
    for (let i = 0; i < invoices; i++) {
      const [{ id }] = await dataSource.query(
        `INSERT INTO invoices (company_id, number, customer_id, amount, balance, issue_date, due_date, created_by)
         VALUES ($1, $2, $3, '100.00', '100.00', '2026-11-01', '2026-12-01', $4) RETURNING id`,
        [companyId, `INV-${randomUUID().slice(0, 8)}`, customerId, adminId]);
      invoiceIds.push(id);
    }
    return { customerId, email, invoiceIds, address: delivery({ customerId, recipient: email, invoiceIds }) };
  }

  const delivery = (d: Omit<MatchedReplyAddress, 'companyId' | 'deliveryKey'>): MatchedReplyAddress => ({
    companyId, deliveryKey: `collection|invoice:${d.invoiceIds[0]}|step-${randomUUID()}`, ...d,
  });

  const suppressionOf = async (address: string) => (await dataSource.query(
    'SELECT id, origin, reason, delivery_key FROM suppressions WHERE company_id = $1 AND address = $2', [companyId, address]))[0];
  const customerOf = async (id: string) => (await dataSource.query(
    'SELECT email_status, reminders_enabled FROM customers WHERE id = $1', [id]))[0];
  const tasksAbout = (recordId: string) => dataSource.query(
    `SELECT assignee_id, title, status FROM tasks WHERE company_id = $1 AND record_id = $2`, [companyId, recordId]);
  const eventsOf = (type: string) => dataSource.query(
    'SELECT data FROM webhook_events WHERE company_id = $1 AND type = $2', [companyId, type]);
  const messagesOf = (invoiceId: string) => dataSource.query(
    'SELECT direction, kind, delivery_key, from_address, subject, body_text FROM invoice_messages WHERE invoice_id = $1 ORDER BY created_at, id', [invoiceId]);
  const pauseOf = async (invoiceId: string) => (await dataSource.query(
    'SELECT reminders_paused_at IS NOT NULL AS paused, reminders_paused_until, reminders_pause_reason FROM invoices WHERE id = $1', [invoiceId]))[0];

  it('suppresses an address on a permanent failure, marks its customer bounced, opens one task and emits email.bounced once', async () => {
    const { customerId, email, address } = await customerWithDelivery();
    const bounce = { kind: 'bounce' as const, permanent: true, status: '5.1.1', recipient: email, diagnostic: 'smtp; 550 5.1.1 user unknown' };

    expect(await applyInbound(dataSource, address, bounce, at)).toEqual({ outcome: 'suppressed' });
    expect(await applyInbound(dataSource, address, bounce, at)).toEqual({ outcome: 'duplicate' });

    const suppression = await suppressionOf(email);
    expect(suppression).toMatchObject({ origin: 'bounce', reason: '5.1.1 smtp; 550 5.1.1 user unknown', delivery_key: address.deliveryKey });
    expect(await customerOf(customerId)).toEqual({ email_status: 'bounced', reminders_enabled: true });
    expect(await tasksAbout(customerId)).toEqual([{ assignee_id: adminId, title: expect.stringMatching(/email address/), status: 'open' }]);
    const events = (await eventsOf('email.bounced')).filter((e: { data: { customerId: string } }) => e.data.customerId === customerId);
    expect(events).toEqual([{ data: expect.objectContaining({ suppressionId: suppression.id, address: email, status: '5.1.1', permanent: true }) }]);
    const audits = await dataSource.query(
      `SELECT type, actor_id, data FROM audit_events WHERE company_id = $1 AND target_id = $2`, [companyId, suppression.id]);
    expect(audits).toEqual([{ type: 'suppression.created', actor_id: null, data: { origin: 'bounce', status: '5.1.1' } }]);
  });

  it('finds the customers at the address when the reply address names none, and a repeat bounce suppresses nothing more', async () => {
    const { customerId, email, invoiceIds } = await customerWithDelivery();
    const bounce = { kind: 'bounce' as const, permanent: true, status: '5.2.1', recipient: email };
    expect(await applyInbound(dataSource, delivery({ customerId: null, recipient: email, invoiceIds }), bounce, at)).toEqual({ outcome: 'suppressed' });
    expect(await customerOf(customerId)).toEqual({ email_status: 'bounced', reminders_enabled: true });
    expect(await tasksAbout(customerId)).toHaveLength(1);
    expect(await applyInbound(dataSource, delivery({ customerId, recipient: email, invoiceIds }), bounce, at))
      .toEqual({ outcome: 'already suppressed' });
    expect(await tasksAbout(customerId)).toHaveLength(1);
  });

  it('suppresses an address after three temporary failures within 30 days, not two, and not when one is older', async () => {
    const { customerId, email, invoiceIds } = await customerWithDelivery();
    const soft = { kind: 'bounce' as const, permanent: false, status: '4.2.2', recipient: email, diagnostic: 'mailbox full' };
    const send = () => delivery({ customerId, recipient: email, invoiceIds });

    expect(await applyInbound(dataSource, send(), soft, at)).toEqual({ outcome: 'counted' });
    const first = send();
    expect(await applyInbound(dataSource, first, soft, at)).toEqual({ outcome: 'counted' });
    expect(await applyInbound(dataSource, first, soft, at)).toEqual({ outcome: 'duplicate' });
    expect(await suppressionOf(email)).toBeUndefined();
    // The first failure is 31 days old by the third: two within 30 days.
    await dataSource.query(
      `UPDATE inbound_receipts SET received_at = received_at - interval '31 days'
        WHERE id = (SELECT id FROM inbound_receipts WHERE company_id = $1 AND address = $2 ORDER BY received_at, id LIMIT 1)`, [companyId, email]);
    expect(await applyInbound(dataSource, send(), soft, at)).toEqual({ outcome: 'counted' });
    expect(await suppressionOf(email)).toBeUndefined();
    expect(await customerOf(customerId)).toEqual({ email_status: 'ok', reminders_enabled: true });

    expect(await applyInbound(dataSource, send(), soft, at)).toEqual({ outcome: 'suppressed' });
    expect(await suppressionOf(email)).toMatchObject({ origin: 'soft_bounces', reason: expect.stringMatching(/^3 temporary failures in 30 days, last 4\.2\.2/) });
    expect(await customerOf(customerId)).toEqual({ email_status: 'bounced', reminders_enabled: true });
  });

  it('suppresses on a complaint and opts the customer out', async () => {
    const { customerId, email, address } = await customerWithDelivery();
    expect(await applyInbound(dataSource, address, { kind: 'complaint', recipient: email, feedbackType: 'abuse' }, at))
      .toEqual({ outcome: 'suppressed' });
    expect(await suppressionOf(email)).toMatchObject({ origin: 'complaint', reason: 'complaint (abuse)' });
    expect(await customerOf(customerId)).toEqual({ email_status: 'complained', reminders_enabled: false });
  });

  it('records an auto-reply on the invoice and changes nothing else', async () => {
    const { customerId, email, invoiceIds: [invoiceId], address } = await customerWithDelivery();
    expect(await applyInbound(dataSource, address, { kind: 'auto_reply', from: email, subject: 'Out of office' }, at))
      .toEqual({ outcome: 'recorded' });
    expect(await messagesOf(invoiceId)).toEqual([{
      direction: 'in', kind: 'auto_reply', delivery_key: address.deliveryKey, from_address: email, subject: 'Out of office', body_text: '',
    }]);
    expect(await pauseOf(invoiceId)).toEqual({ paused: false, reminders_paused_until: null, reminders_pause_reason: null });
    expect(await tasksAbout(invoiceId)).toEqual([]);
    expect(await tasksAbout(customerId)).toEqual([]);
    expect(await suppressionOf(email)).toBeUndefined();
  });

  it('pauses every invoice a reply is about, keeps it as plain text, opens a task and emits customer.replied, once', async () => {
    const { customerId, email, invoiceIds, address } = await customerWithDelivery(2);
    const reply = { kind: 'reply' as const, from: email, subject: 'Re: INV overdue', text: 'We paid by wire on Tuesday.' };
    expect(await applyInbound(dataSource, address, reply, at)).toEqual({ outcome: 'paused' });
    expect(await applyInbound(dataSource, address, reply, at)).toEqual({ outcome: 'duplicate' });
    for (const invoiceId of invoiceIds) {
      expect(await pauseOf(invoiceId)).toEqual({ paused: true, reminders_paused_until: null, reminders_pause_reason: 'customer replied' });
      expect(await messagesOf(invoiceId)).toEqual([{
        direction: 'in', kind: 'reply', delivery_key: address.deliveryKey, from_address: email, subject: reply.subject, body_text: reply.text,
      }]);
    }
    expect(await tasksAbout(invoiceIds[0])).toEqual([{ assignee_id: adminId, title: expect.stringMatching(/replied/), status: 'open' }]);
    const events = (await eventsOf('customer.replied')).filter((e: { data: { customerId: string } }) => e.data.customerId === customerId);
    expect(events).toEqual([{ data: expect.objectContaining({ invoiceIds, deliveryKey: address.deliveryKey, from: email, subject: reply.subject }) }]);
  });

  it('knows a message posted again by its Message-ID, and takes the same words sent again later as a reply of their own', async () => {
    const { invoiceIds: [invoiceId], email, address } = await customerWithDelivery();
    const reply = { kind: 'reply' as const, from: email, subject: 'Re: INV overdue', text: 'ok' };
    expect(await applyInbound(dataSource, address, reply, at, '<a1@mail.globex.test>')).toEqual({ outcome: 'paused' });
    expect(await applyInbound(dataSource, address, reply, at, '<a1@mail.globex.test>')).toEqual({ outcome: 'duplicate' });
    await dataSource.query('UPDATE invoices SET reminders_paused_at = NULL, reminders_pause_reason = NULL WHERE id = $1', [invoiceId]);
    expect(await applyInbound(dataSource, address, reply, at, '<a2@mail.globex.test>')).toEqual({ outcome: 'paused' });
    expect(await pauseOf(invoiceId)).toEqual({ paused: true, reminders_paused_until: null, reminders_pause_reason: 'customer replied' });
    expect(await messagesOf(invoiceId)).toHaveLength(2);
  });

  it('keeps a pause a user set with no end, and its reason', async () => {
    const { email, invoiceIds: [invoiceId], address } = await customerWithDelivery();
    await dataSource.query(`UPDATE invoices SET reminders_paused_at = now(), reminders_pause_reason = 'on hold' WHERE id = $1`, [invoiceId]);
    await applyInbound(dataSource, address, { kind: 'reply', from: email, subject: 'Re', text: 'ok' }, at);
    expect(await pauseOf(invoiceId)).toEqual({ paused: true, reminders_paused_until: null, reminders_pause_reason: 'on hold' });
  });

  it('touches no invoice of another company named in the address', async () => {
    const { email, invoiceIds: [invoiceId] } = await customerWithDelivery();
    const [{ id: otherCompany }] = await dataSource.query(
      `INSERT INTO companies (name, locale, timezone, currency, plan) VALUES ('Other', 'en-US', 'UTC', 'CAD', 'advanced') RETURNING id`);
    const forged = { companyId: otherCompany, deliveryKey: `x|${randomUUID()}`, recipient: email, customerId: null, invoiceIds: [invoiceId] };
    await applyInbound(dataSource, forged, { kind: 'reply', from: email, subject: 'Re', text: 'hi' }, at);
    expect(await pauseOf(invoiceId)).toEqual({ paused: false, reminders_paused_until: null, reminders_pause_reason: null });
    expect(await messagesOf(invoiceId)).toEqual([]);
    await dataSource.query('DELETE FROM companies WHERE id = $1', [otherCompany]);
  });
});

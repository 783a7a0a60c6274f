/* eslint-disable @typescript-eslint/no-explicit-any */
import { Client, Connection } from '@temporalio/client';
import type { Browser } from 'puppeteer-core';
import type { DataSource } from 'typeorm';
import { answerLinkDecoration } from '../../src/activities/channels/answer-link';
import { createDataSource } from '../../src/db/data-source';
import { markBroken } from '../../src/db/promises';
import { ResponseLinksRepository } from '../../src/db/response-links.repository';
import type { Sql } from '../../src/db/sql';
import { addDays, todayIn } from '../../src/domain/dates';
import { expectAccessible, launchBrowser, newTab, pageText, PHONE } from '../support/browser';
import { closeDb, sql } from '../support/db';
import { testEnv } from '../support/env';
import { createTenant, type Tenant } from '../support/fixtures';
import { Http } from '../support/http';
import { createCustomer, createInvoice, createPayment } from '../support/ledger';
import { mailsTo, waitForMails } from '../support/mail';
import { Stack } from '../support/stack';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

/**
 * The customer answers from a reminder: `GET /r/<token>` shows the invoice and three forms and changes nothing; each
 * form POSTs an answer (already paid, dispute, promise to pay) recorded with the delivery the link came with. Links
 * are minted here as the reminder's decoration mints them.
 */
describe('customer answers from a reminder', () => {
  const stack = new Stack('customer-answers');
  let tenant: Tenant;
  let anon: Http;
  let dataSource: DataSource;
  let db: Sql;
  let today: string;

  beforeAll(async () => {
    await stack.start();
    anon = new Http(stack.baseUrl);
    tenant = await createTenant(anon);
    today = todayIn(String(tenant.company.timezone), new Date());
    // Events are kept only for a subscribed endpoint; this suite's stack dispatches none, so nothing is posted to it.
    expect((await tenant.admin.post('/v1/webhook-endpoints', { url: 'http://127.0.0.1:9/answers', events: ['*'] })).status).toBe(201);
    dataSource = await createDataSource(testEnv().databaseUrl, 2).initialize();
    db = dataSource;
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await closeDb();
    await stack.stop();
  });

  /** An invoice of a fresh customer (`locale` set on the customer when given) and a link minted for its step-1 reminder. */
  async function linked(t: Tenant = tenant, customerLocale?: string): Promise<{ invoice: any; customer: any; token: string; deliveryKey: string }> {
    const customer = await createCustomer(t.admin, { name: 'Answering Customer' });
    if (customerLocale) await sql('UPDATE customers SET locale = $2 WHERE id = $1', [customer.id, customerLocale]);
    const invoice = await createInvoice(t.admin, customer.id, { amount: '240.00', issueDate: addDays(today, -40), dueDate: addDays(today, -10) });
    const deliveryKey = `test-answers|invoice:${invoice.id}|step-1`;
    const token = await new ResponseLinksRepository(db).mint({ companyId: t.companyId, deliveryKey, invoiceId: invoice.id, customerId: customer.id, now: new Date() });
    return { invoice, customer, token, deliveryKey };
  }

  const answer = (token: string, form: Record<string, string>) => anon.post(`/r/${token}`, new URLSearchParams(form).toString(), FORM);
  const messages = (invoiceId: string) => sql<{ direction: string; kind: string; delivery_key: string; body_text: string }>(
    'SELECT direction, kind, delivery_key, body_text FROM invoice_messages WHERE invoice_id = $1 ORDER BY created_at, id', [invoiceId]);
  const events = (invoiceId: string, type: string) => sql<{ data: any }>(
    "SELECT data FROM webhook_events WHERE type = $2 AND data->>'invoiceId' = $1", [invoiceId, type]);
  const audited = async (invoiceId: string, type: string) => (await tenant.admin.get(`/v1/audit-events?type=${type}`)).body.data
    .filter((e: any) => e.targetId === invoiceId);

  it('shows the invoice and three forms, as a page that changes nothing', async () => {
    const { invoice, token } = await linked();
    const res = await anon.get(`/r/${token}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(res.body).toContain(invoice.number);
    expect(res.body).toContain('name="answer" value="already_paid"');
    expect(res.body).toContain('name="answer" value="dispute"');
    expect(res.body).toContain('name="answer" value="promise"');
    const after = (await tenant.admin.get(`/v1/invoices/${invoice.id}`)).body;
    expect({ dispute: after.dispute, promise: after.promise }).toEqual({ dispute: null, promise: null });
  });

  it('"already paid": reminders pause 7 days, a task for the invoice\'s creator, the answer kept with its delivery and audited', async () => {
    const { invoice, token, deliveryKey } = await linked();
    const res = await answer(token, { answer: 'already_paid', reference: 'WIRE 2026-12-01' });
    expect(res.status).toBe(200);
    const pause = (await tenant.admin.get(`/v1/invoices/${invoice.id}/reminder-pause`)).body;
    expect(pause).toMatchObject({ paused: true, until: addDays(today, 7), reason: 'customer says paid' });
    const tasks = (await tenant.admin.get(`/v1/tasks?recordId=${invoice.id}`)).body.data;
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({ assigneeId: tenant.adminId, status: 'open' });
    expect(tasks[0].title).toContain(invoice.number);
    expect(await messages(invoice.id)).toEqual([{ direction: 'in', kind: 'already_paid', delivery_key: deliveryKey, body_text: 'WIRE 2026-12-01' }]);
    const [entry] = await audited(invoice.id, 'invoice.customer_said_paid');
    expect(entry).toMatchObject({ actorId: null, data: { deliveryKey, reference: true, pausedUntil: addDays(today, 7), taskId: tasks[0].id } });
    // Posted again (a double click, or someone holding the link): heard and audited, no second task that day.
    expect((await answer(token, { answer: 'already_paid' })).status).toBe(200);
    expect((await tenant.admin.get(`/v1/tasks?recordId=${invoice.id}`)).body.data).toHaveLength(1);
    expect(await audited(invoice.id, 'invoice.customer_said_paid')).toHaveLength(2);
  });

  it('dispute: a reason is required; it opens the dispute (invoice.disputed) until resolved through the API', async () => {
    const { invoice, token, deliveryKey } = await linked();
    const blank = await answer(token, { answer: 'dispute', reason: '  ' });
    expect(blank.status).toBe(400);
    expect(blank.body).toContain('reason');
    expect((await tenant.admin.get(`/v1/invoices/${invoice.id}`)).body.dispute).toBeNull();

    const res = await answer(token, { answer: 'dispute', reason: 'Never delivered <b>at all</b>' });
    expect(res.status).toBe(200);
    const disputed = (await tenant.admin.get(`/v1/invoices/${invoice.id}`)).body;
    expect(disputed.dispute).toEqual({ openedAt: expect.any(String), reason: 'Never delivered <b>at all</b>' });
    const [event] = await events(invoice.id, 'invoice.disputed');
    expect(event.data).toMatchObject({ invoiceNumber: invoice.number, reason: 'Never delivered <b>at all</b>', deliveryKey });
    expect(await messages(invoice.id)).toEqual([{ direction: 'in', kind: 'dispute', delivery_key: deliveryKey, body_text: 'Never delivered <b>at all</b>' }]);
    expect(await audited(invoice.id, 'invoice.disputed')).toHaveLength(1);
    // Open: the page says so and takes no second dispute nor a promise.
    expect((await anon.get(`/r/${token}`)).body).not.toContain('value="dispute"');
    expect((await answer(token, { answer: 'dispute', reason: 'again' })).status).toBe(409);
    expect((await answer(token, { answer: 'promise', payOn: addDays(today, 5) })).status).toBe(409);

    expect((await tenant.admin.post(`/v1/invoices/${invoice.id}/dispute/resolve`, {})).status).toBe(400);
    const resolved = await tenant.admin.post(`/v1/invoices/${invoice.id}/dispute/resolve`, { resolution: 'Proof of delivery sent' });
    expect(resolved.status).toBe(200);
    expect(resolved.body.dispute).toBeNull();
    expect((await tenant.admin.get(`/v1/invoices/${invoice.id}`)).body.dispute).toBeNull();
    expect(await events(invoice.id, 'invoice.dispute_resolved')).toHaveLength(1);
    const [entry] = await audited(invoice.id, 'invoice.dispute_resolved');
    expect(entry).toMatchObject({ actorId: tenant.adminId });
    const again = await tenant.admin.post(`/v1/invoices/${invoice.id}/dispute/resolve`, { resolution: 'twice' });
    expect(again.status).toBe(409);
    expect(again.body.message).toContain('no open dispute');
  });

  it('promise: a day from today to 60 days ahead; at most two per invoice, a third refused', async () => {
    const { invoice, token, deliveryKey } = await linked();
    expect((await answer(token, { answer: 'promise', payOn: addDays(today, -1) })).status).toBe(400);
    expect((await answer(token, { answer: 'promise', payOn: addDays(today, 61) })).status).toBe(400);
    expect((await answer(token, { answer: 'promise', payOn: 'soon' })).status).toBe(400);

    expect((await answer(token, { answer: 'promise', payOn: addDays(today, 10) })).status).toBe(200);
    expect((await tenant.admin.get(`/v1/invoices/${invoice.id}`)).body.promise).toEqual({ payOn: addDays(today, 10), graceUntil: addDays(today, 12) });
    const [event] = await events(invoice.id, 'invoice.promised');
    expect(event.data).toMatchObject({ payOn: addDays(today, 10), graceUntil: addDays(today, 12), deliveryKey });

    expect((await answer(token, { answer: 'promise', payOn: addDays(today, 60) })).status).toBe(200);
    expect((await tenant.admin.get(`/v1/invoices/${invoice.id}`)).body.promise.payOn).toBe(addDays(today, 60));
    const third = await answer(token, { answer: 'promise', payOn: addDays(today, 20) });
    expect(third.status).toBe(409);
    expect(third.body).toContain('already been promised twice');
    expect((await anon.get(`/r/${token}`)).body).not.toContain('value="promise"');
    expect((await tenant.admin.get(`/v1/invoices/${invoice.id}`)).body.promise.payOn).toBe(addDays(today, 60));
    expect((await messages(invoice.id)).map((m) => m.kind)).toEqual(['promise', 'promise']);
    expect(await audited(invoice.id, 'invoice.promised')).toHaveLength(2);
  });

  it('two promises posted at once on an invoice promised once already: exactly one is taken', async () => {
    const { invoice, token } = await linked();
    expect((await answer(token, { answer: 'promise', payOn: addDays(today, 5) })).status).toBe(200);
    // The invoice's row held here, so both posts wait on it together; released, they take it one after the other.
    const holder = dataSource.createQueryRunner();
    await holder.connect();
    try {
      await holder.startTransaction();
      await holder.query('SELECT id FROM invoices WHERE id = $1 FOR UPDATE', [invoice.id]);
      const raced = Promise.all([10, 11].map((d) => answer(token, { answer: 'promise', payOn: addDays(today, d) })));
      for (let waiting = 0; waiting < 2;) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        [{ waiting }] = await sql<{ waiting: number }>(
          "SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%FROM response_links l%FOR UPDATE OF i%'");
      }
      await holder.commitTransaction();
      expect((await raced).map((r) => r.status).sort()).toEqual([200, 409]);
    } finally {
      if (holder.isTransactionActive) await holder.rollbackTransaction();
      await holder.release();
    }
    const [{ n }] = await sql<{ n: number }>('SELECT count(*)::int AS n FROM invoice_promises WHERE invoice_id = $1', [invoice.id]);
    expect(n).toBe(2);
  });

  it('a promise whose grace passed unpaid is marked broken once, with invoice.promise_broken; one still in its grace is left', async () => {
    const { invoice, token } = await linked();
    expect((await answer(token, { answer: 'promise', payOn: addDays(today, 3) })).status).toBe(200);
    // Moved back in time: paying day two days ago, its grace ends today.
    await sql('UPDATE invoices SET promised_on = $2 WHERE id = $1', [invoice.id, addDays(today, -2)]);
    await sql('UPDATE invoice_promises SET pay_on = $2 WHERE invoice_id = $1', [invoice.id, addDays(today, -2)]);
    await markBroken(db, tenant.companyId, invoice.id, today);
    expect((await tenant.admin.get(`/v1/invoices/${invoice.id}`)).body.promise).toEqual({ payOn: addDays(today, -2), graceUntil: today });
    expect(await events(invoice.id, 'invoice.promise_broken')).toHaveLength(0);

    await sql('UPDATE invoices SET promised_on = $2 WHERE id = $1', [invoice.id, addDays(today, -3)]);
    await sql('UPDATE invoice_promises SET pay_on = $2 WHERE invoice_id = $1', [invoice.id, addDays(today, -3)]);
    await markBroken(db, tenant.companyId, invoice.id, today);
    await markBroken(db, tenant.companyId, invoice.id, today);
    expect((await tenant.admin.get(`/v1/invoices/${invoice.id}`)).body.promise).toBeNull();
    const broken = await events(invoice.id, 'invoice.promise_broken');
    expect(broken).toHaveLength(1);
    expect(broken[0].data).toMatchObject({ invoiceNumber: invoice.number, payOn: addDays(today, -3) });
    const [row] = await sql<{ broken_at: Date | null }>('SELECT broken_at FROM invoice_promises WHERE invoice_id = $1', [invoice.id]);
    expect(row.broken_at).not.toBeNull();
  });

  it('an expired link and a paid invoice\'s link answer 410 and change nothing', async () => {
    const expired = await linked();
    await sql("UPDATE response_links SET expires_at = now() - interval '1 second' WHERE invoice_id = $1", [expired.invoice.id]);
    expect((await anon.get(`/r/${expired.token}`)).status).toBe(410);
    const refused = await answer(expired.token, { answer: 'dispute', reason: 'late' });
    expect(refused.status).toBe(410);
    expect(refused.body).not.toContain(expired.invoice.number);

    const paid = await linked();
    await createPayment(tenant.admin, paid.invoice.id, '240.00');
    const page = await anon.get(`/r/${paid.token}`);
    expect(page.status).toBe(410);
    expect(page.body).toContain('paid');
    expect((await answer(paid.token, { answer: 'promise', payOn: addDays(today, 2) })).status).toBe(410);
    expect([...await messages(expired.invoice.id), ...await messages(paid.invoice.id)]).toEqual([]);
    expect((await tenant.admin.get(`/v1/invoices/${expired.invoice.id}`)).body.dispute).toBeNull();
  });

  it('an unknown token is a 404; a link whose row names another company\'s invoice finds nothing', async () => {
    expect((await anon.get(`/r/${'A'.repeat(43)}`)).status).toBe(404);
    expect((await anon.get('/r/short')).status).toBe(404);
    expect((await answer('A'.repeat(43), { answer: 'already_paid' })).status).toBe(404);

    const other = await createTenant(anon);
    const mine = await linked();
    const token = await new ResponseLinksRepository(db).mint({
      companyId: other.companyId, deliveryKey: 'forged', invoiceId: mine.invoice.id, customerId: mine.customer.id, now: new Date(),
    });
    expect((await anon.get(`/r/${token}`)).status).toBe(404);
    expect((await answer(token, { answer: 'dispute', reason: 'forged' })).status).toBe(404);
    expect((await tenant.admin.get(`/v1/invoices/${mine.invoice.id}`)).body.dispute).toBeNull();
  });

  it('the reminder decoration links each invoice still to pay of the email (a statement: one each), bound to its delivery; the invoice itself gets none', async () => {
    const { invoice: first, customer } = await linked();
    const second = await createInvoice(tenant.admin, customer.id, { amount: '60.00', issueDate: addDays(today, -20), dueDate: addDays(today, -5) });
    const paid = await createInvoice(tenant.admin, customer.id, { amount: '10.00', issueDate: addDays(today, -20), dueDate: addDays(today, -5) });
    await createPayment(tenant.admin, paid.id, '10.00');
    const elsewhere = (await linked()).invoice;
    const decorate = answerLinkDecoration({ dataSource, publicUrl: stack.baseUrl });
    const email = {
      companyId: tenant.companyId, customerId: customer.id, deliveryKey: `test-statement|customer:${customer.id}`, locale: 'en-US',
      invoiceIds: [first.id, second.id, paid.id, elsewhere.id], kind: 'statement' as const,
    };
    const footer = await decorate(email);
    const links = [...footer.footerText!.matchAll(/Answer for invoice (\S+): (http:\/\/\S+\/r\/([A-Za-z0-9_-]{43}))/g)];
    expect(links.map((m) => m[1])).toEqual([first.number, second.number]);
    expect(footer.footerHtml).toContain(`/r/${links[1][3]}`);
    const page = await anon.get(`/r/${links[1][3]}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain(second.number);
    const rows = await sql<{ delivery_key: string; customer_id: string }>(
      'SELECT delivery_key, customer_id FROM response_links WHERE invoice_id = ANY($1)', [[second.id, paid.id]]);
    expect(rows).toEqual([{ delivery_key: email.deliveryKey, customer_id: customer.id }]);
    expect(await decorate({ ...email, kind: 'invoice' })).toEqual({});
  });

  it('a reminder run carries the links; each answer stops the next step, and a promise broken unpaid resumes it once (invoice.promise_broken)', async () => {
    const connection = await Connection.connect({ address: testEnv().temporalAddress });
    try {
      const temporal = new Client({ connection });
      const runNow = async (definitionId: string) => {
        const res = await tenant.admin.post(`/v1/workflows/${definitionId}/run-now`);
        expect(res.status).toBe(202);
        return temporal.workflow.getHandle(res.body.temporalWorkflowId).result();
      };
      const kinds = ['dispute', 'promise', 'paid', 'silent'] as const;
      const parties = Object.fromEntries(await Promise.all(kinds.map(async (kind) => {
        const customer = await createCustomer(tenant.admin, { name: `Sequence ${kind}` });
        const invoice = await createInvoice(tenant.admin, customer.id, { amount: '90.00', issueDate: addDays(today, -27), dueDate: addDays(today, 3) });
        return [kind, { customer, invoice }];
      }))) as Record<(typeof kinds)[number], { customer: any; invoice: any }>;
      const def = await tenant.admin.post('/v1/workflows', {
        templateKey: 'collection-sequence', name: 'Answers', activate: true,
        steps: [
          { offsetDays: -3, subject: 'Step 1: {{invoiceNumber}}', body: 'Hello {{customerName}}, {{invoiceNumber}} is due soon.' },
          { offsetDays: 1, subject: 'Step 2: {{invoiceNumber}}', body: 'Hello {{customerName}}, {{invoiceNumber}} is past due.' },
        ],
        conditions: [{ field: 'customerId', op: 'in', value: kinds.map((k) => parties[k].customer.id) }],
      });
      expect(def.status).toBe(201);
      await runNow(def.body.id);

      const links: Record<string, string> = {};
      for (const kind of kinds) {
        const [mail] = await waitForMails(parties[kind].customer.email, 1);
        const link = new RegExp(`Answer for invoice ${parties[kind].invoice.number}: (${stack.baseUrl}/r/[A-Za-z0-9_-]{43})\\n`).exec(mail.text);
        expect({ kind, link: Boolean(link) }).toEqual({ kind, link: true });
        // Above the unsubscribe line.
        expect(mail.text.indexOf('/r/')).toBeLessThan(mail.text.indexOf('/unsubscribe/'));
        links[kind] = new URL(link![1]).pathname;
      }
      const post = (kind: string, form: Record<string, string>) => anon.post(links[kind], new URLSearchParams(form).toString(), FORM);
      expect((await post('dispute', { answer: 'dispute', reason: 'Wrong quantity' })).status).toBe(200);
      expect((await post('promise', { answer: 'promise', payOn: addDays(today, 5) })).status).toBe(200);
      expect((await post('paid', { answer: 'already_paid' })).status).toBe(200);

      // Step 2 falls today (due dates moved back): only the customer who did not answer gets it.
      for (const kind of kinds) {
        expect((await tenant.admin.patch(`/v1/invoices/${parties[kind].invoice.id}`, { dueDate: addDays(today, -1) })).status).toBe(200);
      }
      await runNow(def.body.id);
      expect((await waitForMails(parties.silent.customer.email, 2)).map((m) => m.subject.split(':')[0])).toEqual(['Step 1', 'Step 2']);
      for (const kind of ['dispute', 'promise', 'paid'] as const) expect({ kind, mails: (await mailsTo(parties[kind].customer.email)).length }).toEqual({ kind, mails: 1 });

      // The promised day passed two days ago, unpaid: the next run sends step 2 and the promise is broken, once.
      const promised = parties.promise.invoice.id;
      await sql('UPDATE invoices SET promised_on = $2 WHERE id = $1', [promised, addDays(today, -3)]);
      await sql('UPDATE invoice_promises SET pay_on = $2 WHERE invoice_id = $1', [promised, addDays(today, -3)]);
      await runNow(def.body.id);
      expect((await waitForMails(parties.promise.customer.email, 2)).map((m) => m.subject.split(':')[0])).toEqual(['Step 1', 'Step 2']);
      expect((await tenant.admin.get(`/v1/invoices/${promised}`)).body.promise).toBeNull();
      expect(await events(promised, 'invoice.promise_broken')).toHaveLength(1);
      await runNow(def.body.id);
      expect(await events(promised, 'invoice.promise_broken')).toHaveLength(1);
      for (const kind of ['dispute', 'paid'] as const) expect({ kind, mails: (await mailsTo(parties[kind].customer.email)).length }).toEqual({ kind, mails: 1 });
    } finally {
      await connection.close();
    }
  });

  it('a company east of its customer: the run that sends the step past the promise\'s grace (the company\'s day) also breaks it', async () => {
    // UTC+14 and UTC-11: the company's day is always one or two days after the customer's.
    const east = await createTenant(anon, { timezone: 'Pacific/Kiritimati' });
    expect((await east.admin.post('/v1/webhook-endpoints', { url: 'http://127.0.0.1:9/answers', events: ['*'] })).status).toBe(201);
    const companyToday = todayIn('Pacific/Kiritimati', new Date());
    const customer = await createCustomer(east.admin, { name: 'Western Customer', timezone: 'Pacific/Pago_Pago' });
    const invoice = await createInvoice(east.admin, customer.id, { amount: '75.00', issueDate: addDays(companyToday, -20), dueDate: addDays(companyToday, -1) });
    const deliveryKey = `test-answers|invoice:${invoice.id}|step-0`;
    const token = await new ResponseLinksRepository(db).mint({ companyId: east.companyId, deliveryKey, invoiceId: invoice.id, customerId: customer.id, now: new Date() });
    expect((await answer(token, { answer: 'promise', payOn: addDays(companyToday, 5) })).status).toBe(200);
    // Moved back: the grace ended yesterday on the company's day, and ends today or tomorrow on the customer's.
    await sql('UPDATE invoices SET promised_on = $2 WHERE id = $1', [invoice.id, addDays(companyToday, -3)]);
    await sql('UPDATE invoice_promises SET pay_on = $2 WHERE invoice_id = $1', [invoice.id, addDays(companyToday, -3)]);
    const def = await east.admin.post('/v1/workflows', {
      templateKey: 'collection-sequence', name: 'East', activate: true,
      steps: [{ offsetDays: 1, subject: 'Past due: {{invoiceNumber}}', body: 'Hello {{customerName}}, {{invoiceNumber}} is past due.' }],
      conditions: [{ field: 'customerId', op: 'in', value: [customer.id] }],
    });
    expect(def.status).toBe(201);
    const connection = await Connection.connect({ address: testEnv().temporalAddress });
    try {
      const res = await east.admin.post(`/v1/workflows/${def.body.id}/run-now`);
      expect(res.status).toBe(202);
      await new Client({ connection }).workflow.getHandle(res.body.temporalWorkflowId).result();
    } finally {
      await connection.close();
    }
    expect((await waitForMails(customer.email, 1)).map((m) => m.subject)).toEqual([`Past due: ${invoice.number}`]);
    expect((await east.admin.get(`/v1/invoices/${invoice.id}`)).body.promise).toBeNull();
    expect(await events(invoice.id, 'invoice.promise_broken')).toHaveLength(1);
  });

  describe('in a browser, on a phone', () => {
    let browser: Browser;
    beforeAll(async () => {
      browser = await launchBrowser();
    });
    afterAll(async () => {
      await browser?.close();
    });

    it('speaks the customer\'s locale, is accessible, and its promise form promises', async () => {
      const { invoice, token } = await linked(tenant, 'fr-CA');
      const tab = await newTab(browser, PHONE);
      const opened = await tab.goto(`${stack.baseUrl}/r/${token}`);
      expect(opened?.status()).toBe(200);
      expect(await tab.$eval('html', (el) => (el as unknown as { lang: string }).lang)).toBe('fr');
      expect(await pageText(tab)).toContain(`Facture ${invoice.number}`);
      await expectAccessible(tab, 'answer page');
      // Nothing wider than the phone's screen.
      const width = await tab.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth);
      expect(width).toBeLessThanOrEqual(PHONE.width);

      await tab.$eval('#payOn', (el, v) => { (el as unknown as { value: string }).value = v; }, addDays(today, 14));
      const [done] = await Promise.all([tab.waitForNavigation(), tab.click('button[value="promise"], form.promise button[type="submit"]')]);
      expect(done?.status()).toBe(200);
      expect(await pageText(tab)).toContain('Merci');
      await expectAccessible(tab, 'answer page, answered');
      expect((await tenant.admin.get(`/v1/invoices/${invoice.id}`)).body.promise.payOn).toBe(addDays(today, 14));
    });

    it('the company\'s locale when the customer has none; the dispute form asks for a reason', async () => {
      const { invoice, token } = await linked();
      const tab = await newTab(browser, PHONE);
      await tab.goto(`${stack.baseUrl}/r/${token}`);
      expect(await tab.$eval('html', (el) => (el as unknown as { lang: string }).lang)).toBe('en');
      await tab.type('#reason', 'The goods arrived broken');
      const [done] = await Promise.all([tab.waitForNavigation(), tab.click('form.dispute button[type="submit"]')]);
      expect(done?.status()).toBe(200);
      await expectAccessible(tab, 'answer page, disputed');
      expect((await tenant.admin.get(`/v1/invoices/${invoice.id}`)).body.dispute.reason).toBe('The goods arrived broken');
    });
  });
});

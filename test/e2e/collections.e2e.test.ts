import { addDays } from '../../src/domain/dates';
import { createCustomer, createInvoice, createPayment } from '../support/ledger';
import { type CaughtMail, mailsTo, waitForMails } from '../support/mail';
import { sql } from '../support/db';
import { collectionsStack } from '../support/collections';
import { pdfText } from '../support/pdf';

/* eslint-disable @typescript-eslint/no-explicit-any */
describe('collections end to end: a dunning sequence through the API, worker, Temporal, Postgres and SMTP', () => {
  const ctx = collectionsStack('collections');
  const { stack, runNow } = ctx;

  /** A customer of its own with one invoice of `amount` due `dueIn` days from today. */
  async function invoiceDue(name: string, dueIn: number, amount = '240.00') {
    const customer = await createCustomer(ctx.tenant.admin, { name });
    const invoice = await createInvoice(ctx.tenant.admin, customer.id, {
      amount, issueDate: addDays(ctx.today, Math.min(dueIn, 0) - 40), dueDate: addDays(ctx.today, dueIn),
    });
    return { customer, invoice };
  }

  const steps = [
    { offsetDays: -3, subject: 'Step 1: {{invoiceNumber}} due {{dueDate}}', body: 'Hello {{customerName}}, {{money balance}} is due soon.' },
    { offsetDays: 1, subject: 'Step 2: {{invoiceNumber}} is past due', body: 'Hello {{customerName}}, {{money balance}} was due on {{dueDate}}.' },
    { offsetDays: 7, subject: 'Step 3: {{invoiceNumber}} is {{daysOverdue}} days late', body: 'Last notice, {{customerName}}.', attachInvoicePdf: true },
  ];

  const pdfOf = (mail: CaughtMail) => {
    const pdfs = mail.attachments.filter((a) => a.contentType === 'application/pdf');
    expect(pdfs).toHaveLength(1);
    return Buffer.from(pdfs[0].content, 'base64');
  };

  const headerOf = (mail: CaughtMail, name: string) => mail.headerLines[name.toLowerCase()];
  const unsubscribeUrl = (mail: CaughtMail) => /^<(.+)>$/.exec(headerOf(mail, 'List-Unsubscribe'))![1];

  it('sends each invoice exactly its step of ctx.today, nothing to paid, paused or opted-out ones, and nothing new when run again', async () => {
    const stages = {
      beforeDue: await invoiceDue('Stage One', 3), // step 1 falls today
      dayAfter: await invoiceDue('Stage Two', -1), // step 2 falls today
      caughtUp: await invoiceDue('Stage Two Late', -4), // step 2's day passed: latest is step 2
      weekLate: await invoiceDue('Stage Three', -9), // step 3's day passed: latest is step 3
      tooEarly: await invoiceDue('Not Yet', 5),
      paid: await invoiceDue('Paid Up', 3, '50.00'),
      paused: await invoiceDue('On Hold', -1),
      optedOut: await invoiceDue('No Thanks', -1),
    };
    expect((await createPayment(ctx.tenant.admin, stages.paid.invoice.id, '50.00')).amount).toBe('50.00');
    const pause = await ctx.tenant.admin.post(`/v1/invoices/${stages.paused.invoice.id}/pause-reminders`, { reason: 'disputed line 2' });
    expect(pause.status).toBe(200);
    expect(pause.body).toMatchObject({ invoiceId: stages.paused.invoice.id, paused: true, until: null, reason: 'disputed line 2' });
    const optOut = await ctx.tenant.admin.patch(`/v1/customers/${stages.optedOut.customer.id}`, { remindersEnabled: false });
    expect(optOut.status).toBe(200);
    expect(optOut.body.remindersEnabled).toBe(false);
    expect((await ctx.tenant.admin.post(`/v1/invoices/${stages.paused.invoice.id}/pause-reminders`, { reason: 'x', until: ctx.today })).status).toBe(400);
    expect((await ctx.tenant.admin.post(`/v1/invoices/${stages.paused.invoice.id}/pause-reminders`, {})).status).toBe(400);

    const created = await ctx.tenant.admin.post('/v1/workflows', {
      templateKey: 'collection-sequence', name: 'Dunning', steps, activate: true,
      conditions: [{ field: 'customerId', op: 'in', value: Object.values(stages).map((s) => s.customer.id) }],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ templateKey: 'collection-sequence', status: 'active', catchUp: 'latest', actions: [] });
    expect(created.body.steps.map((s: any) => s.offsetDays)).toEqual([-3, 1, 7]);
    const bad = await ctx.tenant.admin.post('/v1/workflows', { templateKey: 'collection-sequence', steps: [steps[1], steps[0]] });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('steps[1].offsetDays (-3) must be after steps[0].offsetDays (1)');

    const expected: Record<string, number> = { beforeDue: 1, dayAfter: 2, caughtUp: 2, weekLate: 3 };
    const preview = await ctx.tenant.admin.post(`/v1/workflows/${created.body.id}/preview`);
    expect(preview.status).toBe(200);
    expect(Object.fromEntries(preview.body.matches.map((m: any) => [m.recordId, m.step.number]))).toEqual(
      Object.fromEntries(Object.entries(expected).map(([stage, step]) => [stages[stage as keyof typeof stages].invoice.id, step])));
    const weekLatePreview = preview.body.matches.find((m: any) => m.recordId === stages.weekLate.invoice.id);
    expect(weekLatePreview.messages[0].subject).toBe(`Step 3: ${stages.weekLate.invoice.number} is 9 days late`);

    const run = await runNow(created.body.id);
    expect(run).toMatchObject({ outcome: 'completed', matched: 4, delivered: 4, failed: 0 });
    for (const [stage, step] of Object.entries(expected)) {
      const { customer, invoice } = stages[stage as keyof typeof stages];
      const mails = await waitForMails(customer.email, 1);
      expect(mails.map((m) => m.subject.split(':')[0])).toEqual([`Step ${step}`]);
      expect(mails[0].subject).toContain(invoice.number);
      expect(unsubscribeUrl(mails[0])).toMatch(new RegExp(`^${stack.baseUrl}/unsubscribe/[A-Za-z0-9_-]{43}$`));
      expect(headerOf(mails[0], 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
      expect(mails[0].text).toContain(unsubscribeUrl(mails[0]));
    }
    for (const stage of ['tooEarly', 'paid', 'paused', 'optedOut'] as const) expect(await mailsTo(stages[stage].customer.email)).toEqual([]);
    // Step 3 attaches the invoice: a PDF with its number and amount; the other steps attach nothing.
    const [lastNotice] = await mailsTo(stages.weekLate.customer.email);
    const text = pdfText(pdfOf(lastNotice));
    expect(text).toContain(stages.weekLate.invoice.number);
    expect(text).toContain('$240.00');
    expect(text).toContain(String(ctx.tenant.company.name));
    expect(text).toContain('Stage Three');
    expect((await mailsTo(stages.dayAfter.customer.email))[0].attachments).toEqual([]);

    const again = await runNow(created.body.id);
    expect(again).toMatchObject({ matched: 0, delivered: 0 });
    for (const stage of Object.keys(expected)) expect(await mailsTo(stages[stage as keyof typeof stages].customer.email)).toHaveLength(1);

    // Moved on to its next step (its due date moved back a few days), an invoice gets step 2, and only once.
    expect((await ctx.tenant.admin.patch(`/v1/invoices/${stages.beforeDue.invoice.id}`, { dueDate: addDays(ctx.today, -2) })).status).toBe(200);
    expect(await runNow(created.body.id)).toMatchObject({ matched: 1, delivered: 1 });
    expect((await waitForMails(stages.beforeDue.customer.email, 2)).map((m) => m.subject.split(':')[0])).toEqual(['Step 1', 'Step 2']);
    // Resumed, the paused invoice gets its step of today.
    expect((await ctx.tenant.admin.post(`/v1/invoices/${stages.paused.invoice.id}/resume-reminders`)).body).toMatchObject({ paused: false });
    expect(await runNow(created.body.id)).toMatchObject({ matched: 1, delivered: 1 });
    expect((await waitForMails(stages.paused.customer.email, 1)).map((m) => m.subject.split(':')[0])).toEqual(['Step 2']);
    expect(await mailsTo(stages.optedOut.customer.email)).toEqual([]);
  });

  it('keeps the steps that went out in their place and day: moving one is a 409 that changes nothing; texts and later steps may change', async () => {
    const late = await invoiceDue('Edited Steps', -1); // step 2 falls today
    const def = await ctx.tenant.admin.post('/v1/workflows', {
      templateKey: 'collection-sequence', name: 'Edited', steps, activate: true,
      conditions: [{ field: 'customerId', op: 'in', value: [late.customer.id] }],
    });
    expect(def.status).toBe(201);
    expect(await runNow(def.body.id)).toMatchObject({ matched: 1, delivered: 1 });
    const moved = await ctx.tenant.admin.patch(`/v1/workflows/${def.body.id}`, { steps: [steps[0], { ...steps[1], offsetDays: 2 }, steps[2]] });
    expect(moved.status).toBe(409);
    expect(moved.body.message).toMatch(/step 2 \(offsetDays 1\) has gone out to invoices already: steps 1 to 2 keep their order/);
    const inserted = await ctx.tenant.admin.patch(`/v1/workflows/${def.body.id}`, { steps: [{ ...steps[0], offsetDays: -5 }, ...steps] });
    expect(inserted.status).toBe(409);
    expect((await ctx.tenant.admin.get(`/v1/workflows/${def.body.id}`)).body.steps.map((st: any) => st.offsetDays)).toEqual([-3, 1, 7]);
    const reworded = [{ ...steps[0], subject: 'Reminder: {{invoiceNumber}}' }, steps[1], { ...steps[2], offsetDays: 10 }, { ...steps[2], offsetDays: 30 }];
    const ok = await ctx.tenant.admin.patch(`/v1/workflows/${def.body.id}`, { steps: reworded });
    expect(ok.status).toBe(200);
    expect(ok.body.steps.map((st: any) => st.offsetDays)).toEqual([-3, 1, 10, 30]);
    expect(await runNow(def.body.id)).toMatchObject({ matched: 0 }); // step 2 went; the next is on day 10
  });

  it('stops later reminders once the unsubscribe page\'s button or the one-click POST is sent, never on a GET (mail scanners fetch links)', async () => {
    const follows = await invoiceDue('Link Follower', 3);
    const clicks = await invoiceDue('One Clicker', 3);
    const stays = await invoiceDue('Still Subscribed', 3);
    const def = await ctx.tenant.admin.post('/v1/workflows', {
      templateKey: 'collection-sequence', name: 'Unsubscribe', steps, activate: true,
      conditions: [{ field: 'customerId', op: 'in', value: [follows.customer.id, clicks.customer.id, stays.customer.id] }],
    });
    expect(def.status).toBe(201);
    expect(await runNow(def.body.id)).toMatchObject({ delivered: 3 });
    const [toFollower] = await waitForMails(follows.customer.email, 1);
    const [toClicker] = await waitForMails(clicks.customer.email, 1);

    // Following the link (a person, or a mail scanner fetching every link on arrival) only shows a page whose button
    // posts; the mail client's RFC 8058 one-click POST and that button unsubscribe.
    const link = /(http:\/\/\S+\/unsubscribe\/\S+)/.exec(toFollower.text)![1];
    expect(link).toBe(unsubscribeUrl(toFollower));
    const used = async (url: string) => (await sql<{ used: boolean }>(
      "SELECT used_at IS NOT NULL AS used FROM unsubscribe_tokens WHERE token_hash = sha256(convert_to($1, 'UTF8'))", [url.split('/').pop()]))[0].used;
    const enabled = async (who: typeof follows) => (await ctx.tenant.admin.get(`/v1/customers/${who.customer.id}`)).body.remindersEnabled;
    const pages: Response[] = [];
    for (let scan = 0; scan < 2; scan++) pages.push(await fetch(link, { redirect: 'follow' }));
    expect(await enabled(follows)).toBe(true);
    expect(await used(link)).toBe(false);
    for (const page of pages) {
      expect(page.status).toBe(200);
      expect(page.headers.get('cache-control')).toBe('no-store');
      expect(page.headers.get('x-frame-options')).toBe('DENY');
      expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      const html = await page.text();
      expect(html).toMatch(/<form method="post"[^>]*>[\s\S]*<button type="submit"[^>]*>Unsubscribe<\/button>[\s\S]*<\/form>/);
      expect(html).toContain('Link Follower');
      expect(html).not.toContain('will no longer receive');
    }
    const form = { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' };
    for (let post = 0; post < 2; post++) {
      const confirmed = await fetch(link, form);
      expect(confirmed.status).toBe(200);
      expect(confirmed.headers.get('x-frame-options')).toBe('DENY');
      expect(await confirmed.text()).toContain('Link Follower will no longer receive payment reminders');
      expect(await enabled(follows)).toBe(false);
    }
    expect(await used(link)).toBe(true);
    const click = await fetch(unsubscribeUrl(toClicker), form);
    expect(click.status).toBe(200);
    for (const unknown of [`${stack.baseUrl}/unsubscribe/${'A'.repeat(43)}`, `${stack.baseUrl}/unsubscribe/nonsense`]) {
      for (const method of ['GET', 'POST']) {
        const res = await fetch(unknown, { method });
        expect([method, res.status]).toEqual([method, 404]);
        expect(res.headers.get('x-frame-options')).toBe('DENY');
      }
    }
    for (const who of [follows, clicks]) expect(await enabled(who)).toBe(false);
    expect(await enabled(stays)).toBe(true);

    // Their next step comes due: only the customer who stayed subscribed gets it.
    for (const who of [follows, clicks, stays]) {
      expect((await ctx.tenant.admin.patch(`/v1/invoices/${who.invoice.id}`, { dueDate: addDays(ctx.today, -1) })).status).toBe(200);
    }
    expect(await runNow(def.body.id)).toMatchObject({ matched: 1, delivered: 1 });
    expect((await waitForMails(stays.customer.email, 2)).map((m) => m.subject.split(':')[0])).toEqual(['Step 1', 'Step 2']);
    expect(await mailsTo(follows.customer.email)).toHaveLength(1);
    expect(await mailsTo(clicks.customer.email)).toHaveLength(1);
  });

  it('puts the unsubscribe headers on every customer reminder, due reminders too, stops them for a paused invoice, and never on a receipt', async () => {
    const due = await invoiceDue('Due Soon', 2);
    const held = await invoiceDue('Due Held', 2);
    expect((await ctx.tenant.admin.post(`/v1/invoices/${held.invoice.id}/pause-reminders`, { reason: 'promised to pay Friday' })).status).toBe(200);
    const reminder = await ctx.tenant.admin.post('/v1/workflows', {
      templateKey: 'payment-due-reminder', name: 'Due in two days', activate: true,
      conditions: [{ field: 'customerId', op: 'in', value: [due.customer.id, held.customer.id] }, { field: 'dueDate', op: 'within_days', value: 3 }],
      actions: [{ type: 'email', to: 'customer', subject: 'Due soon: {{invoiceNumber}}', body: 'Hello {{customerName}}' }],
    });
    expect(reminder.status).toBe(201);
    expect(await runNow(reminder.body.id)).toMatchObject({ matched: 2, delivered: 1, skipped: 1 });
    const [mail] = await waitForMails(due.customer.email, 1);
    expect(unsubscribeUrl(mail)).toMatch(/\/unsubscribe\/[A-Za-z0-9_-]{43}$/);
    expect(headerOf(mail, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    expect(await mailsTo(held.customer.email)).toEqual([]);

    const receipt = await ctx.tenant.admin.post('/v1/workflows', {
      templateKey: 'payment-received', name: 'Thanks', activate: true,
      conditions: [{ field: 'customerId', op: 'eq', value: due.customer.id }],
      actions: [{ type: 'email', to: 'customer', subject: 'Received {{money paymentAmount}}', body: 'Invoice {{invoiceNumber}}' }],
    });
    expect(receipt.status).toBe(201);
    await createPayment(ctx.tenant.admin, due.invoice.id, '40.00');
    const mails = await waitForMails(due.customer.email, 2);
    const thanks = mails.find((m) => m.subject.startsWith('Received'))!;
    expect(thanks.subject).toMatch(/^Received .*40\.00$/);
    expect(headerOf(thanks, 'List-Unsubscribe')).toBeUndefined(); // a receipt is transactional, not a reminder
    await ctx.tenant.admin.post(`/v1/workflows/${receipt.body.id}/deactivate`);
  });

  it('attaches the invoice PDF to POST /v1/invoices/:id/send and to send-unsent-invoices, the same file as GET /v1/invoices/:id/pdf', async () => {
    const manual = await invoiceDue('Manual Send', 20, '1234.56');
    const memo = await ctx.tenant.admin.patch(`/v1/invoices/${manual.invoice.id}`, { memo: 'Thank you for your business' });
    expect(memo.status).toBe(200);
    const download = await ctx.tenant.admin.raw(`/v1/invoices/${manual.invoice.id}/pdf`);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('application/pdf');
    const downloaded = Buffer.from(await download.arrayBuffer());
    const text = pdfText(downloaded);
    for (const part of [manual.invoice.number, '$1,234.56', 'Manual Send', 'Thank you for your business', 'Balance due', String(ctx.tenant.company.name)]) {
      expect(text).toContain(part);
    }
    expect((await ctx.tenant.admin.get('/v1/invoices/00000000-0000-4000-8000-000000000000/pdf')).status).toBe(404);

    expect((await ctx.tenant.admin.post(`/v1/invoices/${manual.invoice.id}/send`)).status).toBe(200);
    const [sent] = await waitForMails(manual.customer.email, 1);
    expect(pdfOf(sent).equals(downloaded)).toBe(true);
    expect(headerOf(sent, 'List-Unsubscribe')).toBeUndefined(); // the invoice itself is not a reminder

    const unsent = await invoiceDue('Sweep Send', 20, '99.95');
    const def = await ctx.tenant.admin.post('/v1/workflows', {
      templateKey: 'send-unsent-invoices', activate: true,
      conditions: [{ field: 'customerId', op: 'eq', value: unsent.customer.id }, { field: 'sent', op: 'eq', value: false }],
    });
    expect(def.status).toBe(201);
    expect(await runNow(def.body.id)).toMatchObject({ matched: 1, delivered: 1 });
    const [swept] = await waitForMails(unsent.customer.email, 1);
    expect(headerOf(swept, 'List-Unsubscribe')).toBeUndefined(); // sending the invoice is not a reminder either
    const sweptText = pdfText(pdfOf(swept));
    expect(sweptText).toContain(unsent.invoice.number);
    expect(sweptText).toContain('$99.95');
  });

  it("holds a customer email outside the send window in the customer's timezone, counted deferred on the run, and sends one inside it", async () => {
    // A one-hour window around the current hour in Tokyo: open there now, closed in Toronto (14 hours away).
    const tokyoHour = Number(new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Tokyo', hour: '2-digit', hourCycle: 'h23' }).format(new Date()));
    const from = `${String(tokyoHour).padStart(2, '0')}:00`;
    const to = tokyoHour === 23 ? '23:59' : `${String(tokyoHour + 1).padStart(2, '0')}:00`;
    const window = { from, to, days: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] };
    expect((await ctx.tenant.admin.patch('/v1/companies/me', { sendWindow: { ...window, to: '07:00', from: '08:00' } })).status).toBe(400);
    const patched = await ctx.tenant.admin.patch('/v1/companies/me', { sendWindow: window });
    expect(patched.status).toBe(200);
    expect(patched.body.sendWindow).toEqual(window);

    const tokyo = await invoiceDue('Tokyo Buyer', 3);
    expect((await ctx.tenant.admin.patch(`/v1/customers/${tokyo.customer.id}`, { timezone: 'Asia/Tokyo' })).body.timezone).toBe('Asia/Tokyo');
    expect((await ctx.tenant.admin.patch(`/v1/customers/${tokyo.customer.id}`, { timezone: 'Mars/Olympus' })).status).toBe(400);
    const toronto = await invoiceDue('Toronto Buyer', 3);
    const def = await ctx.tenant.admin.post('/v1/workflows', {
      templateKey: 'collection-sequence', name: 'Windowed', steps, activate: true,
      conditions: [{ field: 'customerId', op: 'in', value: [tokyo.customer.id, toronto.customer.id] }],
    });
    expect(def.status).toBe(201);
    const started = await ctx.tenant.admin.post(`/v1/workflows/${def.body.id}/run-now`);
    expect(started.status).toBe(202);
    const handle = ctx.temporal.workflow.getHandle(started.body.temporalWorkflowId);
    try {
      expect((await waitForMails(tokyo.customer.email, 1)).map((m) => m.subject.split(':')[0])).toEqual(['Step 1']);
      let run: any;
      for (const deadline = Date.now() + 20_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 200))) {
        run = (await ctx.tenant.admin.get(`/v1/workflow-runs?workflowId=${def.body.id}`)).body.data[0];
        if (run?.deferred === 1 && run.status !== 'running') break;
      }
      // The run itself is over (its schedule's next firing is not held behind it); what waits has a workflow of its own.
      expect(run).toMatchObject({ status: 'completed', matched: 2, delivered: 1, deferred: 1 });
      // The run's record is written by its last activity, a moment before the workflow completes: wait for that.
      await handle.result();
      expect((await handle.describe()).status.name).toBe('COMPLETED');
      expect((await ctx.temporal.workflow.getHandle(`${started.body.temporalWorkflowId}-deferred-0`).describe()).status.name).toBe('RUNNING');
      expect(await mailsTo(toronto.customer.email)).toEqual([]);
    } finally {
      await ctx.temporal.workflow.getHandle(`${started.body.temporalWorkflowId}-deferred-0`).terminate('the test is over').catch(() => undefined);
      await ctx.tenant.admin.patch('/v1/companies/me', { sendWindow: null });
    }
  });

  it('sends a held email at the opening of the window, once, counted on its run as delivered and no longer deferred', async () => {
    const zone = 'America/Toronto';
    const held = await invoiceDue('Held Buyer', 3);
    expect((await ctx.tenant.admin.patch(`/v1/customers/${held.customer.id}`, { timezone: zone })).status).toBe(200);
    const def = await ctx.tenant.admin.post('/v1/workflows', {
      templateKey: 'collection-sequence', name: 'Opens soon', steps, activate: true,
      conditions: [{ field: 'customerId', op: 'in', value: [held.customer.id] }],
    });
    expect(def.status).toBe(201);
    // A window that opens at a minute's start in Toronto, at least 30 s away (the run must end before it), every day.
    const opening = new Date(Math.ceil((Date.now() + 30_000) / 60_000) * 60_000);
    const hhmm = (d: Date) => new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(d);
    if (hhmm(opening) >= '23:58') return; // a window cannot open at midnight: nothing to see in the day's last minutes
    const window = { from: hhmm(opening), to: '23:59', days: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] };
    expect((await ctx.tenant.admin.patch('/v1/companies/me', { sendWindow: window })).status).toBe(200);
    const started = await ctx.tenant.admin.post(`/v1/workflows/${def.body.id}/run-now`);
    expect(started.status).toBe(202);
    const deferred = ctx.temporal.workflow.getHandle(`${started.body.temporalWorkflowId}-deferred-0`);
    try {
      expect(await ctx.temporal.workflow.getHandle(started.body.temporalWorkflowId).result()).toMatchObject({ matched: 1, delivered: 0, deferred: 1 });
      expect(Date.now()).toBeLessThan(opening.getTime());
      expect(await mailsTo(held.customer.email)).toEqual([]);
      expect(await deferred.result()).toMatchObject({ delivered: 1, skipped: 0, failed: 0, gaveUp: 0 });
      const mails = await waitForMails(held.customer.email, 1);
      expect(mails.map((m) => m.subject.split(':')[0])).toEqual(['Step 1']);
      expect((await deferred.describe()).closeTime!.getTime()).toBeGreaterThanOrEqual(opening.getTime());
      const run = (await ctx.tenant.admin.get(`/v1/workflow-runs?workflowId=${def.body.id}`)).body.data[0];
      expect(run).toMatchObject({ status: 'completed', matched: 1, delivered: 1, deferred: 0, failed: 0 });
      // Run again inside the window: the step went already.
      expect(await runNow(def.body.id)).toMatchObject({ matched: 0, delivered: 0 });
      expect(await mailsTo(held.customer.email)).toHaveLength(1);
    } finally {
      await deferred.terminate('the test is over').catch(() => undefined);
      await ctx.tenant.admin.patch('/v1/companies/me', { sendWindow: null });
    }
  }, 180_000);
});

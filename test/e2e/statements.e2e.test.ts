import { addDays } from '../../src/domain/dates';
import { createCustomer, createInvoice, createPayment } from '../support/ledger';
import { type CaughtMail, INBOUND_DOMAIN, mailsTo, postInbound, replyAddressOf, replyTo, waitForMails } from '../support/mail';
import { sql } from '../support/db';
import { collectionsStack } from '../support/collections';
import { pdfText } from '../support/pdf';

/* eslint-disable @typescript-eslint/no-explicit-any */
describe('statements end to end: a collection sequence grouped by customer through the API, worker, Temporal, Postgres and SMTP', () => {
  const ctx = collectionsStack('statements');
  const { stack, runNow } = ctx;

  const invoiceDue = (customerId: string, dueIn: number, amount = '240.00') =>
    createInvoice(ctx.tenant.admin, customerId, { amount, issueDate: addDays(ctx.today, Math.min(dueIn, 0) - 40), dueDate: addDays(ctx.today, dueIn) });

  const steps = [
    { offsetDays: -3, subject: 'Statement 1: {{invoiceCount}} invoices', body: 'Hello {{customerName}},\n{{invoiceList}}\nTotal {{money totalBalance}}' },
    { offsetDays: 1, subject: 'Statement 2: {{invoiceCount}} invoices', body: 'Hello {{customerName}},\n{{invoiceList}}\nTotal {{money totalBalance}}' },
    { offsetDays: 7, subject: 'Statement 3: {{invoiceCount}} invoices, {{daysOverdue}} days', body: 'Last notice {{customerName}}:\n{{invoiceList}}\nTotal {{money totalBalance}}' },
  ];

  const pdfsOf = (mail: CaughtMail) => mail.attachments.filter((a) => a.contentType === 'application/pdf').map((a) => Buffer.from(a.content, 'base64'));

  it('validates groupBy, answers it, and previews one statement per customer', async () => {
    const customer = await createCustomer(ctx.tenant.admin, { name: 'Preview Buyer' });
    const [a, b] = [await invoiceDue(customer.id, 3, '10.00'), await invoiceDue(customer.id, -1, '20.50')];
    const created = await ctx.tenant.admin.post('/v1/workflows', {
      templateKey: 'collection-sequence', name: 'Statements preview', groupBy: 'customer', steps,
      conditions: [{ field: 'customerId', op: 'eq', value: customer.id }],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ groupBy: 'customer', catchUp: 'latest' });
    expect((await ctx.tenant.admin.get(`/v1/workflows/${created.body.id}`)).body.groupBy).toBe('customer');

    const bad = await ctx.tenant.admin.post('/v1/workflows', { templateKey: 'collection-sequence', groupBy: 'invoice' });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('groupBy must be "customer"');
    const perInvoiceTexts = await ctx.tenant.admin.patch(`/v1/workflows/${created.body.id}`, { steps: [{ offsetDays: 1, subject: '{{invoiceNumber}}', body: 'x' }] });
    expect(perInvoiceTexts.status).toBe(400);
    expect(perInvoiceTexts.body.message).toContain('steps[0].subject uses unknown variable "invoiceNumber"');
    const plain = await ctx.tenant.admin.post('/v1/workflows', { templateKey: 'collection-sequence', name: 'Per invoice' });
    expect(plain.status).toBe(201);
    expect(plain.body.groupBy).toBeNull();
    expect((await ctx.tenant.admin.post('/v1/workflows', { templateKey: 'payment-due-reminder', groupBy: 'customer' })).status).toBe(400);

    const preview = await ctx.tenant.admin.post(`/v1/workflows/${created.body.id}/preview`);
    expect(preview.status).toBe(200);
    expect(preview.body.matches.map((m: any) => [m.recordId, m.step.number, m.messages])).toEqual(expect.arrayContaining([[a.id, 1, []], [b.id, 2, []]]));
    expect(preview.body.statements).toHaveLength(1);
    const [statement] = preview.body.statements;
    expect(statement).toMatchObject({ customerId: customer.id, invoiceIds: [b.id, a.id], step: 2 });
    expect(statement.messages[0]).toMatchObject({ type: 'email', recipients: [customer.email], subject: 'Statement 2: 2 invoices' });
    expect(statement.messages[0].body).toContain(a.number);
    expect(statement.messages[0].body).toContain(b.number);
    expect(statement.messages[0].body).toMatch(/\nTotal \S*30\.50$/);

    const templates = (await ctx.tenant.admin.get('/v1/workflow-templates')).body;
    const catalogue = (templates.data ?? templates) as any[];
    expect(catalogue.find((t) => t.key === 'collection-sequence').statementVariables.map((v: any) => v.name))
      .toEqual(expect.arrayContaining(['customerName', 'invoiceCount', 'invoiceList', 'totalBalance', 'oldestDueDate', 'daysOverdue']));
    expect(catalogue.find((t) => t.key === 'payment-due-reminder').statementVariables).toBeUndefined();

    const draft = await ctx.tenant.admin.post('/v1/workflows/preview', {
      templateKey: 'collection-sequence', groupBy: 'customer', conditions: [{ field: 'customerId', op: 'eq', value: customer.id }],
    });
    expect(draft.status).toBe(200);
    expect(draft.body.statements[0].messages[0].subject).toMatch(/past due/);
  });

  it('sends one email per customer listing every due invoice, with the statement PDF, counts each invoice step once, and nothing new when run again', async () => {
    const many = await createCustomer(ctx.tenant.admin, { name: 'Many Invoices' });
    const one = await createCustomer(ctx.tenant.admin, { name: 'One Invoice' });
    const due = {
      soon: await invoiceDue(many.id, 3, '100.00'), // step 1 falls today
      pastDue: await invoiceDue(many.id, -1, '200.00'), // step 2
      weekLate: await invoiceDue(many.id, -9, '300.25'), // step 3 (caught up)
    };
    const notYet = await invoiceDue(many.id, 10, '400.00');
    const paid = await invoiceDue(many.id, -1, '50.00');
    expect((await createPayment(ctx.tenant.admin, paid.id, '50.00')).amount).toBe('50.00');
    const single = await invoiceDue(one.id, -1, '75.00');
    const disputed = await invoiceDue(many.id, -1, '500.00');
    await sql('UPDATE invoices SET disputed_at = now() WHERE id = $1', [disputed.id]);

    const def = await ctx.tenant.admin.post('/v1/workflows', {
      templateKey: 'collection-sequence', name: 'Statements', groupBy: 'customer', steps, activate: true,
      conditions: [{ field: 'customerId', op: 'in', value: [many.id, one.id] }],
    });
    expect(def.status).toBe(201);

    const run = await runNow(def.body.id);
    expect(run).toMatchObject({ outcome: 'completed', failed: 0 });
    const [statement] = await waitForMails(many.email, 1);
    await new Promise((r) => setTimeout(r, 1500)); // a second email, if any, would have arrived by now
    expect(await mailsTo(many.email)).toHaveLength(1);
    expect(statement.subject).toBe('Statement 3: 3 invoices, 9 days');
    for (const invoice of Object.values(due)) expect(statement.text).toContain(invoice.number);
    for (const invoice of [notYet, paid, single, disputed]) expect(statement.text).not.toContain(invoice.number);
    expect(statement.text).toMatch(/Total \S*600\.25/);
    expect(statement.headerLines['list-unsubscribe']).toMatch(/\/unsubscribe\/[A-Za-z0-9_-]{43}>$/);
    // One answer link per invoice listed: each answer is about one invoice.
    expect(new Set(statement.text.match(/\/r\/[A-Za-z0-9_-]+/g))).toHaveProperty('size', 3);
    const pdfs = pdfsOf(statement);
    expect(pdfs).toHaveLength(1);
    const text = pdfText(pdfs[0]);
    for (const invoice of Object.values(due)) expect(text).toContain(invoice.number);
    expect(text).not.toContain(notYet.number);
    expect(text).toMatch(/Total balance due \S*600\.25/);
    expect(text).toContain('Many Invoices');

    const [toOne] = await waitForMails(one.email, 1);
    expect(toOne.subject).toBe('Statement 2: 1 invoices');
    expect(toOne.text).toContain(single.number);
    for (const invoice of Object.values(due)) expect(toOne.text).not.toContain(invoice.number);
    expect(pdfText(pdfsOf(toOne)[0])).not.toContain(due.soon.number);

    // Each invoice's step is recorded with the send: the next run finds none due.
    const progress = await sql<{ invoice_id: string; last_step: number }>(
      'SELECT invoice_id, last_step FROM collection_progress WHERE definition_id = $1', [def.body.id]);
    expect(Object.fromEntries(progress.map((p) => [p.invoice_id, p.last_step]))).toEqual({
      [due.soon.id]: 0, [due.pastDue.id]: 1, [due.weekLate.id]: 2, [single.id]: 1,
    });
    // The statement is one delivery of the customer; each invoice's step is its own row, sent, under the step's key;
    // each listed invoice's messages hold the statement once.
    const rows = await sql<{ record_id: string; record_type: string; occurrence: string; status: string; skip_reason: string | null }>(
      'SELECT record_id, record_type, occurrence, status, skip_reason FROM deliveries WHERE definition_id = $1 ORDER BY record_type, occurrence', [def.body.id]);
    expect(rows.filter((r) => r.record_type === 'customer').map((r) => [r.record_id, r.status])).toEqual(expect.arrayContaining([[many.id, 'sent'], [one.id, 'sent']]));
    expect(rows.filter((r) => r.record_type === 'customer')).toHaveLength(2);
    expect(Object.fromEntries(rows.filter((r) => r.record_type === 'invoice').map((r) => [r.record_id, `${r.occurrence} ${r.status} ${r.skip_reason}`]))).toEqual({
      [due.soon.id]: 'step-1 sent null', [due.pastDue.id]: 'step-2 sent null', [due.weekLate.id]: 'step-3 sent null', [single.id]: 'step-2 sent null',
      [disputed.id]: 'step-2 skipped disputed',
    });
    const messages = await sql<{ invoice_id: string; kind: string; subject: string }>(
      "SELECT invoice_id, kind, subject FROM invoice_messages WHERE invoice_id = ANY($1::uuid[]) AND direction = 'out'", [Object.values(due).map((i) => i.id)]);
    expect(messages.map((m) => m.invoice_id).sort()).toEqual(Object.values(due).map((i) => i.id).sort());
    expect(new Set(messages.map((m) => `${m.kind} ${m.subject}`))).toEqual(new Set(['statement Statement 3: 3 invoices, 9 days']));

    // Only the disputed invoice matches again, skipped again.
    const again = await runNow(def.body.id);
    expect(again).toMatchObject({ matched: 1, delivered: 0, skipped: 1 });
    expect(await mailsTo(many.email)).toHaveLength(1);
    expect(await mailsTo(one.email)).toHaveLength(1);
  });

  it("lists the customer's invoices of every batch of the run in its one statement, each batch of one invoice", async () => {
    const customer = await createCustomer(ctx.tenant.admin, { name: 'Batched Buyer' });
    const invoices = [await invoiceDue(customer.id, 3, '1.00'), await invoiceDue(customer.id, -1, '2.00'), await invoiceDue(customer.id, 3, '3.00')];
    const def = await ctx.tenant.admin.post('/v1/workflows', {
      templateKey: 'collection-sequence', name: 'Statements in batches', groupBy: 'customer', steps, activate: true,
      conditions: [{ field: 'customerId', op: 'eq', value: customer.id }],
    });
    expect(def.status).toBe(201);
    const run = await ctx.temporal.workflow.execute('reminderSweep', {
      taskQueue: stack.taskQueue, workflowId: `statements-batches-${def.body.id}`,
      args: [{ definitionId: def.body.id, companyId: ctx.tenant.company.id, kind: 'sweep', trigger: 'test', batchSize: 1 }],
    });
    expect(run).toMatchObject({ outcome: 'completed', failed: 0 });
    const [statement] = await waitForMails(customer.email, 1);
    await new Promise((r) => setTimeout(r, 1500));
    expect(await mailsTo(customer.email)).toHaveLength(1);
    expect(statement.subject).toBe('Statement 2: 3 invoices');
    for (const invoice of invoices) expect(statement.text).toContain(invoice.number);
    const progress = await sql<{ n: number }>('SELECT count(*)::int AS n FROM collection_progress WHERE definition_id = $1', [def.body.id]);
    expect(progress[0].n).toBe(3);
  });

  it('pauses every invoice a statement listed when the customer replies to it, and lists the reply on each', async () => {
    const customer = await createCustomer(ctx.tenant.admin, { name: 'Replying Buyer' });
    const invoices = [await invoiceDue(customer.id, 3, '5.00'), await invoiceDue(customer.id, -1, '6.00')];
    const def = await ctx.tenant.admin.post('/v1/workflows', {
      templateKey: 'collection-sequence', name: 'Statements answered', groupBy: 'customer', steps, activate: true,
      conditions: [{ field: 'customerId', op: 'eq', value: customer.id }],
    });
    expect(def.status).toBe(201);
    expect(await runNow(def.body.id)).toMatchObject({ failed: 0 });
    const [statement] = await waitForMails(customer.email, 1);
    expect(replyAddressOf(statement).endsWith(`@${INBOUND_DOMAIN}`)).toBe(true);
    const answer = await postInbound(stack.baseUrl, await replyTo(statement, { text: 'We paid both by wire on Tuesday.' }));
    expect(answer.status).toBe(200);
    const paused = await sql<{ id: string; reason: string | null }>(
      'SELECT id, reminders_pause_reason AS reason FROM invoices WHERE id = ANY($1::uuid[])', [invoices.map((i) => i.id)]);
    expect(Object.fromEntries(paused.map((p) => [p.id, p.reason]))).toEqual(Object.fromEntries(invoices.map((i) => [i.id, 'customer replied'])));
    for (const invoice of invoices) {
      const messages = (await ctx.tenant.admin.get(`/v1/invoices/${invoice.id}/messages`)).body.data as any[];
      expect(messages.map((m) => `${m.direction} ${m.kind}`)).toEqual(['out statement', 'in reply']);
      expect(messages[1].text).toContain('We paid both by wire on Tuesday.');
    }
  });
});

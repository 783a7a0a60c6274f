import { Client, Connection } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { addDays, todayIn } from '../../src/domain/dates';
import { workflowIds } from '../../src/contracts';
import { testEnv } from '../support/env';
import { createTenant, Tenant } from '../support/fixtures';
import { Http } from '../support/http';
import { waitForMails } from '../support/mail';
import { Stack } from '../support/stack';

// Only the REST API, as an integrating backend engineer would: definitions → Temporal Schedules → sweeps → SMTP.
describe('reminders through the REST API', () => {
  const stack = new Stack('reminders-api');
  let http: Http;
  let tenant: Tenant;
  let connection: Connection;
  let temporal: Client;

  beforeAll(async () => {
    await stack.start();
    http = new Http(stack.baseUrl);
    tenant = await createTenant(http, { timezone: 'America/Vancouver' });
    connection = await Connection.connect({ address: testEnv().temporalAddress });
    temporal = new Client({ connection, namespace: testEnv().temporalNamespace });
  });
  afterAll(async () => {
    await connection?.close();
    await stack.stop();
  });

  const schedule = (definitionId: string) => temporal.schedule.getHandle(workflowIds.reminderSchedule(definitionId)).describe();

  async function customerWithInvoice(dueInDays: number, amount = '1250.00') {
    const email = `customer-${randomUUID().slice(0, 8)}@client.test`;
    const customer = await tenant.admin.post('/v1/customers', { name: 'Grace Hopper', email });
    expect(customer.status).toBe(201);
    const today = todayIn('America/Vancouver', new Date());
    const invoice = await tenant.admin.post('/v1/invoices', {
      number: `INV-${randomUUID().slice(0, 8)}`, customerId: customer.body.id, amount, issueDate: today, dueDate: addDays(today, dueInDays),
    });
    expect(invoice.status).toBe(201);
    return { email, customerId: customer.body.id, invoice: invoice.body };
  }

  async function runNowAndWait(definitionId: string) {
    const res = await tenant.admin.post(`/v1/workflows/${definitionId}/run-now`);
    expect(res.status).toBe(202);
    await temporal.workflow.getHandle(res.body.temporalWorkflowId).result();
    const runs = await tenant.admin.get(`/v1/workflow-runs?workflowId=${definitionId}`);
    return runs.body.data.find((r: { temporalWorkflowId: string }) => r.temporalWorkflowId === res.body.temporalWorkflowId);
  }

  it('gives a new company its two default definitions, each with a live schedule in the company timezone', async () => {
    const list = await tenant.admin.get('/v1/workflows');
    const defaults = list.body.data.filter((d: { status: string }) => d.status === 'active');
    expect(defaults.map((d: { templateKey: string }) => d.templateKey).sort()).toEqual(['payment-due-reminder', 'unsent-invoice-reminder']);
    for (const d of defaults) {
      const s = await schedule(d.id);
      expect(s.state.paused).toBe(false);
      expect(s.spec.timezone).toBe('America/Vancouver');
    }
  });

  it('activates a definition, fires it with run-now, and emails the matching customer once', async () => {
    const { email, invoice } = await customerWithInvoice(2);
    await customerWithInvoice(20);
    const created = await tenant.admin.post('/v1/workflows', {
      templateKey: 'payment-due-reminder', name: 'Due within three days',
      conditions: [{ field: 'balance', op: 'gt', value: '0' }, { field: 'dueDate', op: 'within_days', value: 3 }],
      actions: [{ type: 'email', to: 'customer', subject: 'Invoice {{invoiceNumber}} is due soon', body: 'Please pay {{money balance}} by {{date dueDate}}.' }],
      schedule: { time: '07:30' }, activate: true,
    });
    expect(created.status).toBe(201);
    const s = await schedule(created.body.id);
    expect(s.state.paused).toBe(false);
    expect(s.spec.calendars?.[0]).toMatchObject({ hour: [{ start: 7, end: 7, step: 1 }], minute: [{ start: 30, end: 30, step: 1 }] });

    const first = await runNowAndWait(created.body.id);
    expect(first).toMatchObject({ status: 'completed', matched: 1, delivered: 1, failed: 0 });
    const mails = await waitForMails(email, 1);
    expect(mails).toHaveLength(1);
    expect(mails[0].subject).toBe(`Invoice ${invoice.number} is due soon`);
    expect(mails[0].text).toContain('Please pay CA$1,250.00 by');

    const second = await runNowAndWait(created.body.id);
    expect(second).toMatchObject({ matched: 1, delivered: 0 });
    await new Promise((r) => setTimeout(r, 500));
    expect(await waitForMails(email, 2, 1000)).toHaveLength(1);
  });

  it('pauses the schedule on deactivate, resumes it on activate, follows PATCH, and deletes it with the definition', async () => {
    const created = await tenant.admin.post('/v1/workflows', { templateKey: 'bill-payment-reminder', name: 'Bills', activate: false });
    expect(created.status).toBe(201);
    const id = created.body.id;
    await expect(schedule(id)).rejects.toThrow();
    const incomplete = await tenant.admin.post(`/v1/workflows/${id}/activate`);
    expect(incomplete.status).toBe(422);
    await expect(schedule(id)).rejects.toThrow();
    const withRecipient = await tenant.admin.patch(`/v1/workflows/${id}`, {
      actions: [{ type: 'email', to: { userIds: [tenant.adminId] }, subject: 'Pay {{vendorName}}', body: '{{money balance}} due {{date dueDate}}' }],
    });
    expect(withRecipient.status).toBe(200);
    expect((await tenant.admin.post(`/v1/workflows/${id}/activate`)).status).toBe(200);
    expect((await schedule(id)).state.paused).toBe(false);
    expect((await tenant.admin.post(`/v1/workflows/${id}/deactivate`)).status).toBe(200);
    expect((await schedule(id)).state.paused).toBe(true);
    expect((await tenant.admin.post(`/v1/workflows/${id}/activate`)).status).toBe(200);
    expect((await tenant.admin.patch(`/v1/workflows/${id}`, { schedule: { time: '16:45' } })).status).toBe(200);
    const patched = await schedule(id);
    expect(patched.state.paused).toBe(false);
    expect(patched.spec.calendars?.[0]).toMatchObject({ hour: [{ start: 16, end: 16, step: 1 }] });
    expect((await tenant.admin.delete(`/v1/workflows/${id}`)).status).toBe(204);
    await expect(schedule(id)).rejects.toThrow();
  });

  it('starts payment-received from POST /v1/payments and thanks the customer', async () => {
    const t = await createTenant(http);
    const def = await t.admin.post('/v1/workflows', {
      templateKey: 'payment-received', name: 'Thanks',
      actions: [{ type: 'email', to: 'customer', subject: 'Thank you for {{money paymentAmount}}', body: 'Invoice {{invoiceNumber}}: {{money invoiceBalance}} left.' }],
      activate: true,
    });
    expect(def.status).toBe(201);
    const email = `payer-${randomUUID().slice(0, 8)}@client.test`;
    const customer = await t.admin.post('/v1/customers', { name: 'Payer', email });
    const invoice = await t.admin.post('/v1/invoices', { number: 'P-1', customerId: customer.body.id, amount: '300.00', dueDate: '2099-01-01' });
    expect((await t.admin.post('/v1/payments', { invoiceId: invoice.body.id, amount: '120.00' })).status).toBe(201);
    const mails = await waitForMails(email, 1);
    expect(mails.map((m) => m.subject)).toEqual(['Thank you for CA$120.00']);
    expect(mails[0].text).toContain('Invoice P-1: CA$180.00 left.');
  });

  it('pauses every schedule and deactivates every definition on a downgrade to essentials', async () => {
    const t = await createTenant(http);
    const before = (await t.admin.get('/v1/workflows')).body.data as { id: string }[];
    expect(before.length).toBeGreaterThan(0);
    expect((await t.admin.patch('/v1/companies/me', { plan: 'essentials' })).status).toBe(200);
    for (const d of before) {
      expect((await t.admin.get(`/v1/workflows/${d.id}`)).body.status).toBe('inactive');
      expect((await schedule(d.id)).state.paused).toBe(true);
    }
    const refused = await t.admin.post(`/v1/workflows/${before[0].id}/activate`);
    expect(refused.status).toBe(409);
  });
});

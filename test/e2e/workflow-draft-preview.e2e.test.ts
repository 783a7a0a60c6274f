/* eslint-disable @typescript-eslint/no-explicit-any */
import { randomUUID } from 'node:crypto';
import { addDays, todayIn } from '../../src/domain/dates';
import { closeDb, sql } from '../support/db';
import { createTenant, createUser, Tenant } from '../support/fixtures';
import { Http } from '../support/http';
import { mailsTo } from '../support/mail';
import { Stack } from '../support/stack';

/** `POST /v1/workflows/preview`: what a definition being edited would do now, before it is saved. */
describe('previewing a draft definition', () => {
  const stack = new Stack('workflow-draft-preview');
  let http: Http;
  let tenant: Tenant;

  beforeAll(async () => {
    await stack.start();
    http = new Http(stack.baseUrl);
    tenant = await createTenant(http);
  });
  afterAll(async () => {
    await closeDb();
    await stack.stop();
  });

  const today = (t: Tenant) => todayIn(String(t.company.timezone), new Date());

  async function customer(t: Tenant, name: string, email: string): Promise<string> {
    return (await sql<{ id: string }>('INSERT INTO customers (company_id, name, email) VALUES ($1, $2, $3) RETURNING id', [t.companyId, name, email]))[0].id;
  }

  async function invoice(t: Tenant, customerId: string, number: string, dueDate: string): Promise<string> {
    return (await sql<{ id: string }>(
      `INSERT INTO invoices (company_id, number, customer_id, amount, balance, issue_date, due_date, created_by)
       VALUES ($1, $2, $3, '1250.50', '1250.50', $4, $5, $6) RETURNING id`,
      [t.companyId, number, customerId, addDays(dueDate, -30), dueDate, t.adminId]))[0].id;
  }

  const definitionsOf = async (t: Tenant) => (await t.admin.get('/v1/workflows?limit=100')).body.data.length;
  /** What two previews of one definition share: everything but who asked when, and the saved row's id and status. */
  const comparable = ({ definitionId: _id, status: _status, evaluatedAt: _at, ...rest }: any) => rest;

  it('answers what the saved definition\'s preview answers, saving and sending nothing', async () => {
    const t = await createTenant(http);
    const email = `billing-${randomUUID().slice(0, 8)}@tom.test`;
    const tom = await customer(t, 'Tom', email);
    const day = today(t);
    const soon = await invoice(t, tom, 'INV-1', addDays(day, 3));
    await invoice(t, tom, 'INV-2', addDays(day, 9));
    const draft = {
      templateKey: 'payment-due-reminder', name: 'Soon due',
      conditions: [{ field: 'balance', op: 'gt', value: '0' }, { field: 'dueDate', op: 'within_days', value: 3 }],
      actions: [{ type: 'email', to: 'customer', subject: '{{invoiceNumber}} due {{date dueDate}}', body: 'Please pay {{money balance}}.' }],
    };
    const before = await definitionsOf(t);

    const res = await t.admin.post('/v1/workflows/preview', draft);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ definitionId: null, templateKey: 'payment-due-reminder', status: 'draft', today: day, hasMore: false });
    expect(res.body.matches.map((m: any) => m.recordId)).toEqual([soon]);
    expect(res.body.matches[0].messages[0]).toMatchObject({ type: 'email', recipients: [email], body: 'Please pay CA$1,250.50.' });
    expect(res.body.sample[0].subject).toContain('INV-1042');
    expect(await definitionsOf(t)).toBe(before);
    expect(await mailsTo(email)).toEqual([]);

    const saved = await t.admin.post('/v1/workflows', draft);
    expect(saved.status).toBe(201);
    const byId = await t.admin.post(`/v1/workflows/${saved.body.id}/preview`);
    expect(comparable(res.body)).toEqual(comparable(byId.body));
  });

  it('fills the template\'s defaults in the company locale, and takes a limit', async () => {
    const t = await createTenant(http, { locale: 'fr-CA', timezone: 'America/Montreal' });
    const c = await customer(t, 'Boulangerie Roy', `roy-${randomUUID().slice(0, 8)}@example.test`);
    const day = today(t);
    for (const n of [1, 2, 3]) await invoice(t, c, `F-${n}`, addDays(day, n));
    const res = await t.admin.post('/v1/workflows/preview?limit=2', { templateKey: 'payment-due-reminder', conditions: [{ field: 'dueDate', op: 'within_days', value: 3 }] });
    expect(res.status).toBe(200);
    expect(res.body.matches).toHaveLength(2);
    expect(res.body.hasMore).toBe(true);
    expect(res.body.matches[0].messages[0].subject).toMatch(/^Rappel : la facture F-\d arrive à échéance le \d+ \S+ \d{4}$/);
    const limit = await t.admin.post('/v1/workflows/preview?limit=0', { templateKey: 'payment-due-reminder' });
    expect(limit.status).toBe(400);
    expect(limit.body.message).toContain('limit must be an integer from 1 to 100');
  });

  it('previews a collection sequence before it exists: each invoice\'s step of today', async () => {
    const t = await createTenant(http);
    const day = today(t);
    const c = await customer(t, 'Stage', `stage-${randomUUID().slice(0, 8)}@example.test`);
    const first = await invoice(t, c, 'S-1', addDays(day, 3));
    const late = await invoice(t, c, 'S-2', addDays(day, -9));
    await invoice(t, c, 'S-3', addDays(day, 5));
    const steps = [
      { offsetDays: -3, subject: 'Step 1: {{invoiceNumber}}', body: 'Soon due.' },
      { offsetDays: 1, subject: 'Step 2: {{invoiceNumber}}', body: 'Late.' },
      { offsetDays: 7, subject: 'Step 3: {{invoiceNumber}} is {{daysOverdue}} days late', body: 'Very late.' },
    ];
    const before = await definitionsOf(t);
    const res = await t.admin.post('/v1/workflows/preview', { templateKey: 'collection-sequence', steps });
    expect(res.status).toBe(200);
    expect(Object.fromEntries(res.body.matches.map((m: any) => [m.recordId, m.step.number]))).toEqual({ [first]: 1, [late]: 3 });
    expect(res.body.matches.find((m: any) => m.recordId === late).messages[0].subject).toBe('Step 3: S-2 is 9 days late');
    expect(await definitionsOf(t)).toBe(before);
  });

  it.each([
    [{ templateKey: 'payment-overdue-party' }],
    [{ templateKey: 'payment-due-reminder', conditions: [{ field: 'colour', op: 'eq', value: 'red' }] }],
    [{ templateKey: 'payment-due-reminder', conditions: [{ field: 'amount', op: 'gt', value: 1000 }] }],
    [{ templateKey: 'payment-due-reminder', actions: [{ type: 'email', to: 'customer', subject: 'Hi {{customerFirstName}}', body: 'x' }] }],
    [{ templateKey: 'payment-due-reminder', name: '' }],
    [{ templateKey: 'payment-due-reminder', schedule: { time: '25:00' } }],
    [{ templateKey: 'payment-due-reminder', actions: [{ type: 'task', assigneeId: '00000000-0000-4000-8000-000000000000', title: 'x' }] }],
    [{ templateKey: 'collection-sequence', steps: [{ offsetDays: 1, subject: 'a', body: 'b' }, { offsetDays: -3, subject: 'a', body: 'b' }] }],
    [{ templateKey: 'payment-due-reminder', activate: 'yes' }],
    [{ templateKey: 'payment-due-reminder', colour: 'red' }],
    [{ name: 'no template' }],
  ])('refuses %j with the 400 that creating it gives, naming the field', async (body) => {
    const created = await tenant.admin.post('/v1/workflows', body);
    expect(created.status).toBe(400);
    const previewed = await tenant.admin.post('/v1/workflows/preview', body);
    expect({ status: previewed.status, body: previewed.body }).toEqual({ status: 400, body: created.body });
  });

  it('is for those who may create definitions: a standard user gets 403, another tenant\'s user as recipient a 400', async () => {
    const t = await createTenant(http);
    const other = await createTenant(http);
    const sam = await createUser(t, 'standard');
    const refused = await sam.http.post('/v1/workflows/preview', { templateKey: 'payment-due-reminder' });
    expect(refused.status).toBe(403);
    const foreign = await t.admin.post('/v1/workflows/preview', { templateKey: 'bill-payment-reminder', actions: [{ type: 'email', to: { userIds: [other.adminId] } }] });
    expect(foreign.status).toBe(400);
    expect(foreign.body.message).toBe(`actions[0].to.userIds[0]: user ${other.adminId} is not a user of this company`);
    expect((await http.post('/v1/workflows/preview', { templateKey: 'payment-due-reminder' })).status).toBe(401);
  });
});

import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { addDays, todayIn } from '../../src/domain/dates';
import { TEMPLATE_KEYS } from '../../src/domain/templates';
import { testEnv } from '../support/env';
import { createTenant, createUser, Tenant } from '../support/fixtures';
import { Http } from '../support/http';
import { mailsTo } from '../support/mail';
import { Stack } from '../support/stack';

describe('workflow templates and definitions', () => {
  const stack = new Stack('workflow-definitions');
  let http: Http;
  let pg: Client;
  let tenant: Tenant;

  beforeAll(async () => {
    await stack.start();
    http = new Http(stack.baseUrl);
    pg = new Client({ connectionString: testEnv().databaseUrl });
    await pg.connect();
    tenant = await createTenant(http);
  });
  afterAll(async () => {
    await pg?.end();
    await stack.stop();
  });

  /** Ledger rows straight into Postgres: the ledger API is not what these tests are about. */
  async function customer(t: Tenant, name: string, email: string | null, group: string | null = null): Promise<string> {
    const res = await pg.query('INSERT INTO customers (company_id, name, email, customer_group) VALUES ($1, $2, $3, $4) RETURNING id', [t.companyId, name, email, group]);
    return res.rows[0].id;
  }

  async function invoice(t: Tenant, fields: { customerId: string; number: string; amount: string; balance?: string; dueDate: string; sent?: boolean }): Promise<string> {
    const res = await pg.query(
      `INSERT INTO invoices (company_id, number, customer_id, amount, balance, issue_date, due_date, created_by, sent_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
      [t.companyId, fields.number, fields.customerId, fields.amount, fields.balance ?? fields.amount, addDays(fields.dueDate, -30), fields.dueDate,
        t.adminId, fields.sent ? new Date() : null],
    );
    return res.rows[0].id;
  }

  const today = (t: Tenant) => todayIn(String(t.company.timezone), new Date());

  describe('catalogue', () => {
    it('lists the ten templates with audience, record, fields, operators, variables and defaults in both locales', async () => {
      const res = await tenant.admin.get('/v1/workflow-templates');
      expect(res.status).toBe(200);
      expect(res.body.data.map((t: { key: string }) => t.key)).toEqual([...TEMPLATE_KEYS]);
      for (const template of res.body.data) {
        expect(['customer', 'team']).toContain(template.audience);
        expect(['invoice', 'bill', 'payment']).toContain(template.recordType);
        expect(template.conditionFields.length).toBeGreaterThan(0);
        expect(template.variables.length).toBeGreaterThan(0);
        expect(Object.keys(template.defaults)).toEqual(['en-US', 'fr-CA']);
        expect(template.defaults['fr-CA'].name).not.toBe(template.defaults['en-US'].name);
        // A sequence's actions are its steps.
        expect(template.defaults['en-US'].actions.length + (template.defaults['en-US'].steps?.length ?? 0)).toBeGreaterThan(0);
      }
      const sequence = res.body.data.find((t: { key: string }) => t.key === 'collection-sequence');
      expect(sequence.defaults['fr-CA']).toMatchObject({ catchUp: 'latest', actions: [] });
      expect(sequence.defaults['fr-CA'].steps.map((s: { offsetDays: number }) => s.offsetDays)).toEqual([-3, 1, 7]);
    });

    it('shows one template with its due-date operators', async () => {
      const res = await tenant.admin.get('/v1/workflow-templates/payment-due-reminder');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ key: 'payment-due-reminder', audience: 'customer', recordType: 'invoice', trigger: 'schedule' });
      const dueDate = res.body.conditionFields.find((f: { field: string }) => f.field === 'dueDate');
      expect(dueDate.ops).toEqual(expect.arrayContaining(['within_days', 'overdue_by_days']));
      expect(res.body.defaults['fr-CA'].actions[0].subject).toContain('Rappel');
      expect(res.body.defaults['en-US'].schedule).toEqual({ time: '09:00' });
    });

    it('answers 404 naming an unknown template, and 401 without a key', async () => {
      const res = await tenant.admin.get('/v1/workflow-templates/payment-overdue-party');
      expect(res.status).toBe(404);
      expect(res.body.message).toContain('"payment-overdue-party"');
      expect((await http.get('/v1/workflow-templates')).status).toBe(401);
    });
  });

  describe('defaults of a new company', () => {
    it('starts an en-US company with active payment-due and unsent-invoice reminders, to its admin', async () => {
      const t = await createTenant(http);
      const res = await t.admin.get('/v1/workflows?status=active');
      expect(res.status).toBe(200);
      expect(res.body.data.map((d: { templateKey: string }) => d.templateKey).sort()).toEqual(['payment-due-reminder', 'unsent-invoice-reminder']);
      const unsent = res.body.data.find((d: { templateKey: string }) => d.templateKey === 'unsent-invoice-reminder');
      expect(unsent).toMatchObject({ name: 'Remind the team of unsent invoices', locale: 'en-US', schedule: { time: '09:00' } });
      expect(unsent.actions[0]).toMatchObject({ type: 'email', to: { userIds: [t.adminId], emails: [] } });
    });

    it('gives a fr-CA company French defaults, which it can deactivate', async () => {
      const t = await createTenant(http, { locale: 'fr-CA', timezone: 'America/Montreal' });
      const res = await t.admin.get('/v1/workflows');
      const due = res.body.data.find((d: { templateKey: string }) => d.templateKey === 'payment-due-reminder');
      expect(due).toMatchObject({ name: "Rappel d'échéance de paiement", status: 'active', locale: 'fr-CA' });
      expect(due.actions[0].subject).toBe('Rappel : la facture {{invoiceNumber}} arrive à échéance le {{date dueDate}}');
      const off = await t.admin.post(`/v1/workflows/${due.id}/deactivate`);
      expect(off.status).toBe(200);
      expect(off.body.status).toBe('inactive');
    });

    it('starts an essentials company with the defaults inactive, and refuses to activate workflows', async () => {
      const t = await createTenant(http, { plan: 'essentials' });
      const res = await t.admin.get('/v1/workflows');
      expect(res.body.data.map((d: { status: string }) => d.status)).toEqual(['inactive', 'inactive']);
      const activate = await t.admin.post(`/v1/workflows/${res.body.data[0].id}/activate`);
      expect(activate.status).toBe(409);
      expect(activate.body.message).toContain('advanced plan');
    });
  });

  describe('lifecycle', () => {
    it('saves a draft, activates, deactivates, reactivates, edits and deletes it', async () => {
      const created = await tenant.admin.post('/v1/workflows', {
        templateKey: 'payment-due-reminder', name: 'Due in three days',
        conditions: [{ field: 'amount', op: 'gt', value: '0' }, { field: 'dueDate', op: 'within_days', value: 3 }],
        actions: [{ type: 'email', to: 'customer', subject: 'Invoice {{invoiceNumber}}', body: 'Hello {{customerName}}' }, { type: 'task', assigneeId: tenant.adminId, title: 'Call {{customerName}}' }],
        schedule: { time: '09:00' },
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ status: 'draft', name: 'Due in three days', templateKey: 'payment-due-reminder' });
      expect(created.body.conditions[0]).toEqual({ field: 'amount', op: 'gt', value: '0.00' });
      const id = created.body.id;

      expect((await tenant.admin.post(`/v1/workflows/${id}/activate`)).body.status).toBe('active');
      expect((await tenant.admin.post(`/v1/workflows/${id}/activate`)).body.status).toBe('active');
      expect((await tenant.admin.post(`/v1/workflows/${id}/deactivate`)).body.status).toBe('inactive');
      expect((await tenant.admin.post(`/v1/workflows/${id}/deactivate`)).body.status).toBe('inactive');
      expect((await tenant.admin.post(`/v1/workflows/${id}/activate`)).body.status).toBe('active');

      const patched = await tenant.admin.patch(`/v1/workflows/${id}`, { name: 'Due in five days', conditions: [{ field: 'dueDate', op: 'within_days', value: 5 }], schedule: { time: '07:30' } });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({ name: 'Due in five days', status: 'active', conditions: [{ field: 'dueDate', op: 'within_days', value: 5 }], schedule: { time: '07:30' } });
      expect(patched.body.actions).toEqual(created.body.actions);
      expect((await tenant.admin.get(`/v1/workflows/${id}`)).body).toEqual(patched.body);

      expect((await tenant.admin.delete(`/v1/workflows/${id}`)).status).toBe(204);
      expect((await tenant.admin.get(`/v1/workflows/${id}`)).status).toBe(404);
      expect((await tenant.admin.delete(`/v1/workflows/${id}`)).status).toBe(404);
    });

    it('saves and activates in one call, with template defaults for omitted parts, several of one template at once', async () => {
      const approver = await createUser(tenant, 'standard', 'Vera');
      const bodies = ['VIP', 'Gold'].map((group) => ({
        templateKey: 'invoice-approval', name: `Large ${group} invoices`,
        conditions: [{ field: 'amount', op: 'gt', value: '1000.00' }, { field: 'customerGroup', op: 'eq', value: group }],
        actions: [
          { type: 'approval', approverIds: [approver.id], timeoutDays: 30 },
          { type: 'email', to: { userIds: [tenant.adminId] }, subject: 'Approval of {{invoiceNumber}}', body: '{{createdByName}} asks for {{money amount}}' },
          { type: 'push', userIds: [approver.id] },
        ],
        activate: true,
      }));
      const [vip, gold] = await Promise.all(bodies.map((b) => tenant.admin.post('/v1/workflows', b)));
      expect(vip.status).toBe(201);
      expect(gold.status).toBe(201);
      expect(vip.body).toMatchObject({ status: 'active', schedule: null });
      expect(vip.body.actions[0]).toMatchObject({ type: 'approval', steps: [{ approverIds: [approver.id] }], timeoutDays: 30, allowAdmins: false });
      expect(vip.body.actions[2].title).toBe('Approval needed: invoice {{invoiceNumber}} for {{customerName}}');

      const active = await tenant.admin.get('/v1/workflows?templateKey=invoice-approval&status=active');
      expect(active.body.data.map((d: { id: string }) => d.id)).toEqual(expect.arrayContaining([vip.body.id, gold.body.id]));

      // A standard user reads and previews, but does not change definitions.
      expect((await approver.http.get(`/v1/workflows/${vip.body.id}`)).status).toBe(200);
      expect((await approver.http.post(`/v1/workflows/${vip.body.id}/preview`)).status).toBe(200);
      expect((await approver.http.post(`/v1/workflows/${vip.body.id}/deactivate`)).status).toBe(403);
      expect((await approver.http.post('/v1/workflows', { templateKey: 'payment-due-reminder' })).status).toBe(403);
    });

    it('pages through definitions with a cursor', async () => {
      const t = await createTenant(http);
      for (const name of ['A', 'B', 'C']) await t.admin.post('/v1/workflows', { templateKey: 'bank-deposit-reminder', name });
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res = await t.admin.get(`/v1/workflows?templateKey=bank-deposit-reminder&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        expect(res.status).toBe(200);
        seen.push(...res.body.data.map((d: { name: string }) => d.name));
        cursor = res.body.nextCursor;
      } while (cursor);
      expect(seen).toEqual(['A', 'B', 'C']);
      expect((await t.admin.get('/v1/workflows?status=draft')).body.data).toHaveLength(3);
    });

    it('refuses to deactivate a draft', async () => {
      const draft = await tenant.admin.post('/v1/workflows', { templateKey: 'bill-payment-reminder' });
      const res = await tenant.admin.post(`/v1/workflows/${draft.body.id}/deactivate`);
      expect(res.status).toBe(409);
      expect(res.body.message).toContain('draft');
    });
  });

  describe('preview', () => {
    it('shows the invoices matching now and each rendered message, HTML-escaped, sending nothing', async () => {
      const t = await createTenant(http);
      const email = `billing-${randomUUID().slice(0, 8)}@tom.test`;
      const tom = await customer(t, 'Tom <b>&</b> Jerry', email);
      const day = today(t);
      const soon = await invoice(t, { customerId: tom, number: 'INV-1', amount: '1250.50', dueDate: addDays(day, 3) });
      const dueToday = await invoice(t, { customerId: tom, number: 'INV-2', amount: '20.00', dueDate: day });
      await invoice(t, { customerId: tom, number: 'INV-3', amount: '99.00', dueDate: addDays(day, 4) });
      await invoice(t, { customerId: tom, number: 'INV-4', amount: '99.00', balance: '0.00', dueDate: addDays(day, 1) });
      await invoice(t, { customerId: tom, number: 'INV-5', amount: '99.00', dueDate: addDays(day, -1) });

      const created = await t.admin.post('/v1/workflows', {
        templateKey: 'payment-due-reminder', name: 'Soon due',
        conditions: [{ field: 'balance', op: 'gt', value: '0' }, { field: 'dueDate', op: 'within_days', value: 3 }],
        actions: [
          { type: 'email', to: 'customer', subject: '{{customerName}}: {{invoiceNumber}} due {{date dueDate}}', body: 'Dear {{customerName}},\nplease pay {{money balance}}.' },
          { type: 'stamp', text: 'DUE {{date dueDate style="short"}}' },
        ],
      });
      expect(created.status).toBe(201);
      const res = await t.admin.post(`/v1/workflows/${created.body.id}/preview`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ definitionId: created.body.id, today: day, timezone: 'America/Toronto', hasMore: false });
      expect(res.body.matches.map((m: { recordId: string }) => m.recordId).sort()).toEqual([soon, dueToday].sort());

      const first = res.body.matches.find((m: { recordId: string }) => m.recordId === soon);
      expect(first.record).toMatchObject({ number: 'INV-1', amount: '1250.50' });
      const [mail, stamp] = first.messages;
      const dueLong = new Intl.DateTimeFormat('en-US', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${addDays(day, 3)}T00:00:00Z`));
      expect(mail).toMatchObject({ type: 'email', recipients: [email], subject: `Tom <b>&</b> Jerry: INV-1 due ${dueLong}` });
      expect(mail.body).toBe('Dear Tom <b>&</b> Jerry,\nplease pay CA$1,250.50.');
      expect(mail.html).toBe('Dear Tom &lt;b&gt;&amp;&lt;/b&gt; Jerry,<br>\nplease pay CA$1,250.50.');
      expect(stamp).toMatchObject({ type: 'stamp', text: expect.stringMatching(/^DUE \d+\/\d+\/\d+$/) });
      expect(res.body.sample[0].subject).toContain('INV-1042');

      expect(await mailsTo(email)).toEqual([]);
    });

    it('renders in French for a fr-CA company, and takes a limit', async () => {
      const t = await createTenant(http, { locale: 'fr-CA', timezone: 'America/Montreal' });
      const c = await customer(t, 'Boulangerie Roy', 'roy@example.test', 'vip');
      const day = today(t);
      for (const n of [1, 2, 3]) await invoice(t, { customerId: c, number: `F-${n}`, amount: '1250.00', dueDate: addDays(day, n) });
      const created = await t.admin.post('/v1/workflows', { templateKey: 'payment-due-reminder', conditions: [{ field: 'customerGroup', op: 'in', value: ['vip'] }, { field: 'dueDate', op: 'within_days', value: 3 }] });
      expect(created.body.name).toBe("Rappel d'échéance de paiement");
      const res = await t.admin.post(`/v1/workflows/${created.body.id}/preview?limit=2`);
      expect(res.status).toBe(200);
      expect(res.body.matches).toHaveLength(2);
      expect(res.body.hasMore).toBe(true);
      expect(res.body.matches[0].messages[0].subject).toMatch(/^Rappel : la facture F-\d arrive à échéance le \d+ \S+ \d{4}$/);
      expect(res.body.matches[0].messages[0].body).toContain('1\u00a0250,00\u00a0$');
    });
  });

  describe('bad input', () => {
    const valid = { templateKey: 'payment-due-reminder', name: 'X' };

    it.each([
      [{ templateKey: 'payment-overdue-party' }, 'templateKey "payment-overdue-party" is not a template'],
      [{ ...valid, conditions: [{ field: 'colour', op: 'eq', value: 'red' }] }, 'conditions[0]: unknown field "colour"'],
      [{ ...valid, conditions: [{ field: 'amount', op: 'gt', value: '1' }, { field: 'amount', op: 'roughly', value: '1' }] }, 'conditions[1]: unknown operator "roughly"'],
      [{ ...valid, conditions: [{ field: 'amount', op: 'within_days', value: 3 }] }, 'conditions[0]: operator "within_days" does not apply to field "amount"'],
      [{ ...valid, conditions: [{ field: 'amount', op: 'gt', value: 1000 }] }, 'conditions[0]: value 1000 for "amount" gt must be a decimal string'],
      [{ ...valid, conditions: [{ field: 'dueDate', op: 'within_days', value: 'soon' }] }, 'must be a whole number of days'],
      [{ ...valid, actions: [{ type: 'email', to: 'customer', subject: 'Hi {{customerFirstName}}', body: 'x' }] }, 'actions[0].subject uses unknown variable "customerFirstName"'],
      [{ ...valid, actions: [{ type: 'email', to: 'customer', subject: 'x', body: 'Hi {{#each x}}' }] }, 'actions[0].body does not compile'],
      // Would throw at render, on every record of every sweep.
      [{ ...valid, actions: [{ type: 'email', to: 'customer', subject: 'x', body: 'Due: {{money amount currency="EURO"}}' }] },
        'actions[0].body helper "money" option "currency" (line 1, column 6) takes an ISO 4217 currency code such as currency="EUR", not "EURO"'],
      [{ ...valid, actions: [{ type: 'email', to: 'customer', subject: '{{money amount currency=memo}}', body: 'x' }] },
        'actions[0].subject helper "money" option "currency" (line 1, column 1) takes a currency code in quotes'],
      [{ ...valid, name: '' }, 'name must not be empty'],
      [{ ...valid, actions: [{ type: 'approval', approverIds: [] }] }, 'action type "approval" is not available'],
      [{ ...valid, schedule: { time: '25:00' } }, 'schedule.time must be HH:MM'],
      [{ ...valid, actions: [{ type: 'task', assigneeId: '00000000-0000-4000-8000-000000000000', title: 'x' }] }, 'actions[0].assigneeId: user 00000000-0000-4000-8000-000000000000 is not a user of this company'],
      [{ ...valid, activate: 'yes' }, 'activate must be true or false'],
      [{ ...valid, colour: 'red' }, 'property colour should not exist'],
    ])('refuses %j with a 400 naming the problem', async (body, message) => {
      const res = await tenant.admin.post('/v1/workflows', body);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      expect(res.body.message).toContain(message);
    });

    it.each([
      [{ ...valid, name: '' }, 'name', 'name must not be empty'],
      [{ ...valid, conditions: [{ field: 'amount', op: 'gt', value: '1' }, { field: 'amount', op: 'roughly', value: '1' }] }, 'conditions.1', 'conditions[1]: unknown operator "roughly"'],
      [{ ...valid, actions: [{ type: 'email', to: 'customer', subject: 'Hi {{customerFirstName}}', body: 'x' }] }, 'actions.0.subject', 'actions[0].subject uses unknown variable'],
      [{ ...valid, actions: [{ type: 'email', to: { emails: ['ok@example.test', 'nope'] } }] }, 'actions.0.to.emails.1', 'actions[0].to.emails[1]: "nope" is not an email address'],
      [{ ...valid, schedule: { time: '25:00' } }, 'schedule.time', 'schedule.time must be HH:MM'],
      [{ ...valid, actions: [{ type: 'task', assigneeId: '00000000-0000-4000-8000-000000000000', title: 'x' }] }, 'actions.0.assigneeId', 'is not a user of this company'],
      [{ templateKey: 'payment-overdue-party' }, 'templateKey', 'templateKey "payment-overdue-party" is not a template'],
      [{ ...valid, activate: 'yes' }, 'activate', 'activate must be true or false'],
      [{ ...valid, colour: 'red' }, 'colour', 'property colour should not exist'],
    ])('names the field of %j in the 400 (fields: [{ field: %s, message }], dotted paths)', async (body, field, message) => {
      const res = await tenant.admin.post('/v1/workflows', body);
      expect(res.status).toBe(400);
      expect(res.body.fields).toEqual([{ field, message: expect.stringContaining(message) }]);
      // The message stays the full sentence, as before.
      expect(res.body.message).toContain(message);
    });

    it('refuses a 200 kB recipient address for its length, before any pattern reads it', async () => {
      // A pattern that backtracks on this string held the event loop about a minute before answering.
      const address = `a@${'.'.repeat(200_000)}@`;
      const res = await tenant.admin.post('/v1/workflows', { ...valid, actions: [{ type: 'email', to: { emails: [address] } }] });
      expect(res.status).toBe(400);
      expect(res.body.message).toContain('actions[0].to.emails[0] is longer than 254 characters');
    });

    it('refuses a user of another company as a recipient', async () => {
      const other = await createTenant(http);
      const res = await tenant.admin.post('/v1/workflows', { templateKey: 'bill-payment-reminder', actions: [{ type: 'email', to: { userIds: [other.adminId] } }] });
      expect(res.status).toBe(400);
      expect(res.body.message).toBe(`actions[0].to.userIds[0]: user ${other.adminId} is not a user of this company`);
    });

    it('refuses to activate an incomplete definition, and creates nothing when asked to save and activate it', async () => {
      const t = await createTenant(http);
      const before = (await t.admin.get('/v1/workflows')).body.data.length;
      const refused = await t.admin.post('/v1/workflows', { templateKey: 'invoice-approval', activate: true });
      expect(refused.status).toBe(422);
      expect(refused.body.message).toContain('actions[0] (approval): step 1 has no approver; set approverIds');
      expect((await t.admin.get('/v1/workflows')).body.data).toHaveLength(before);

      const draft = await t.admin.post('/v1/workflows', { templateKey: 'bill-payment-reminder' });
      expect(draft.status).toBe(201);
      const activate = await t.admin.post(`/v1/workflows/${draft.body.id}/activate`);
      expect(activate.status).toBe(422);
      expect(activate.body.message).toContain('actions[0] (email): no recipient; set to.userIds or to.emails');
      expect((await t.admin.get(`/v1/workflows/${draft.body.id}`)).body.status).toBe('draft');

      const completed = await t.admin.patch(`/v1/workflows/${draft.body.id}`, { actions: [{ type: 'email', to: { emails: ['ap@acme.test'] } }] });
      expect(completed.status).toBe(200);
      expect((await t.admin.post(`/v1/workflows/${draft.body.id}/activate`)).body.status).toBe('active');
      const emptied = await t.admin.patch(`/v1/workflows/${draft.body.id}`, { actions: [{ type: 'email', to: { emails: [] } }] });
      expect(emptied.status).toBe(422);
      expect((await t.admin.get(`/v1/workflows/${draft.body.id}`)).body.actions[0].to.emails).toEqual(['ap@acme.test']);
    });

    it('refuses to change the template of a definition', async () => {
      const draft = await tenant.admin.post('/v1/workflows', { templateKey: 'bank-deposit-reminder' });
      const res = await tenant.admin.patch(`/v1/workflows/${draft.body.id}`, { templateKey: 'payment-received' });
      expect(res.status).toBe(400);
      expect(res.body.message).toContain('templateKey cannot change');
    });

    it("answers 404 for another company's definition, whatever the call", async () => {
      const other = await createTenant(http);
      const theirs = (await other.admin.get('/v1/workflows')).body.data[0];
      const id = theirs.id;
      const calls = [
        tenant.admin.get(`/v1/workflows/${id}`),
        tenant.admin.patch(`/v1/workflows/${id}`, { name: 'mine now' }),
        tenant.admin.delete(`/v1/workflows/${id}`),
        tenant.admin.post(`/v1/workflows/${id}/activate`),
        tenant.admin.post(`/v1/workflows/${id}/deactivate`),
        tenant.admin.post(`/v1/workflows/${id}/preview`),
      ];
      for (const res of await Promise.all(calls)) {
        expect(res.status).toBe(404);
        expect(res.body.message).toBe(`workflow ${id} not found`);
      }
      expect((await other.admin.get(`/v1/workflows/${id}`)).body).toEqual(theirs);
      expect((await tenant.admin.get('/v1/workflows')).body.data.map((d: { id: string }) => d.id)).not.toContain(id);
    });

    it('answers 400 for a malformed id, an unknown status filter and a bad cursor', async () => {
      expect((await tenant.admin.get('/v1/workflows/not-an-id')).status).toBe(400);
      const status = await tenant.admin.get('/v1/workflows?status=paused');
      expect(status.status).toBe(400);
      expect(status.body.message).toContain('status "paused"');
      const empty = await tenant.admin.get('/v1/workflows?status=,');
      expect(empty.status).toBe(400);
      expect(empty.body.message).toContain('names no status');
      expect((await tenant.admin.get('/v1/workflows?cursor=nope')).status).toBe(400);
      expect((await tenant.admin.get('/v1/workflows?templateKey=nope')).status).toBe(400);
    });
  });
});

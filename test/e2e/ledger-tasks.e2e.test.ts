import { closeDb, sql } from '../support/db';
import { createTenant, createUser, Tenant } from '../support/fixtures';
import { Http } from '../support/http';
import { createCustomer, createInvoice } from '../support/ledger';
import { Stack } from '../support/stack';

describe('tasks, notifications and the OpenAPI document', () => {
  const stack = new Stack('ledger-tasks');
  let http: Http;
  let tenant: Tenant;
  let sam: Awaited<ReturnType<typeof createUser>>;
  let kim: Awaited<ReturnType<typeof createUser>>;

  beforeAll(async () => {
    await stack.start();
    http = new Http(stack.baseUrl);
    tenant = await createTenant(http);
    sam = await createUser(tenant, 'standard', 'Sam');
    kim = await createUser(tenant, 'standard', 'Kim');
  });
  afterAll(async () => {
    await closeDb();
    await stack.stop();
  });

  it('creates a manual task about an invoice, lists it for the assignee, and completes it once', async () => {
    const customer = await createCustomer(tenant.admin);
    const invoice = await createInvoice(tenant.admin, customer.id);
    const res = await tenant.admin.post('/v1/tasks', {
      assigneeId: sam.id, title: 'Call Globex', description: 'About the PO', recordType: 'invoice', recordId: invoice.id,
      dueAt: '2026-12-20T17:00:00Z',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      assigneeId: sam.id, kind: 'manual', title: 'Call Globex', description: 'About the PO', status: 'open',
      recordType: 'invoice', recordId: invoice.id, dueAt: '2026-12-20T17:00:00.000Z', completedAt: null, completedBy: null,
    });
    const mine = await sam.http.get('/v1/tasks?assignee=me&status=open');
    expect(mine.body.data.map((t: { id: string }) => t.id)).toEqual([res.body.id]);
    expect((await kim.http.get('/v1/tasks?assignee=me&status=open')).body.data).toEqual([]);
    expect((await kim.http.get(`/v1/tasks?assignee=${sam.id}`)).body.data).toHaveLength(1);
    expect((await tenant.admin.get(`/v1/tasks?recordId=${invoice.id}&kind=manual`)).body.data).toHaveLength(1);

    const forbidden = await kim.http.post(`/v1/tasks/${res.body.id}/complete`);
    expect(forbidden.status).toBe(403);
    expect((await sam.http.get(`/v1/tasks/${res.body.id}`)).body.status).toBe('open');

    const done = await sam.http.post(`/v1/tasks/${res.body.id}/complete`);
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ status: 'completed', completedBy: sam.id, completedAt: expect.any(String) });
    const twice = await sam.http.post(`/v1/tasks/${res.body.id}/complete`);
    expect(twice.status).toBe(409);
    expect(twice.body.message).toBe(`task ${res.body.id} is already completed`);
    expect((await sam.http.get('/v1/tasks?assignee=me&status=open')).body.data).toEqual([]);
    expect((await sam.http.get('/v1/tasks?assignee=me&status=completed')).body.data).toHaveLength(1);
  });

  it('lets an admin complete anyone\'s task, but not an approval task', async () => {
    const task = (await sam.http.post('/v1/tasks', { assigneeId: kim.id, title: 'Chase payment' })).body;
    expect((await tenant.admin.post(`/v1/tasks/${task.id}/complete`)).body).toMatchObject({ status: 'completed', completedBy: tenant.adminId });
    const [approval] = await sql<{ id: string }>(
      `INSERT INTO tasks (company_id, assignee_id, kind, title, record_type, record_id)
       VALUES ($1, $2, 'approval', 'Approve INV-1', 'invoice', gen_random_uuid()) RETURNING id`,
      [tenant.companyId, sam.id],
    );
    const res = await sam.http.post(`/v1/tasks/${approval.id}/complete`);
    expect(res.status).toBe(409);
    expect(res.body.message).toMatch(/is an approval task: it closes when the invoice is approved or rejected/);
    expect((await sam.http.get(`/v1/tasks/${approval.id}`)).body.status).toBe('open');
  });

  it.each([
    ['/v1/tasks?assignee=someone', /assignee must be "me" or a user id/],
    ['/v1/tasks?status=done', /status must be one of open, completed, cancelled/],
    ['/v1/tasks?kind=chore', /kind must be one of approval, reminder, manual/],
    ['/v1/tasks?recordId=1', /recordId must be an id/],
  ])('refuses a bad task query %s', async (path, message) => {
    const res = await sam.http.get(path);
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(message);
  });

  it('refuses bad manual tasks and records of another company, creating nothing', async () => {
    const other = await createTenant(http);
    const theirCustomer = await createCustomer(other.admin);
    const theirInvoice = await createInvoice(other.admin, theirCustomer.id);
    const attempts: [Record<string, unknown>, number, RegExp][] = [
      [{ assigneeId: sam.id }, 400, /title must be a string/],
      [{ assigneeId: sam.id, title: '' }, 400, /title must not be empty/],
      [{ assigneeId: 'me', title: 'x' }, 400, /assigneeId must be an id/],
      [{ assigneeId: sam.id, title: 'x', recordId: theirInvoice.id }, 400, /recordType must be one of/],
      [{ assigneeId: sam.id, title: 'x', recordType: 'invoice' }, 400, /recordId must be an id/],
      [{ assigneeId: sam.id, title: 'x', dueAt: 'friday' }, 400, /dueAt must be an ISO 8601 date-time/],
      [{ assigneeId: sam.id, title: 'x', kind: 'approval' }, 400, /property kind should not exist/],
      [{ assigneeId: other.adminId, title: 'x' }, 404, new RegExp(`user ${other.adminId} not found`)],
      [{ assigneeId: sam.id, title: 'x', recordType: 'invoice', recordId: theirInvoice.id }, 404, new RegExp(`invoice ${theirInvoice.id} not found`)],
    ];
    const before = (await sql('SELECT id FROM tasks WHERE company_id = $1', [tenant.companyId])).length;
    for (const [body, status, message] of attempts) {
      const res = await tenant.admin.post('/v1/tasks', body);
      expect({ body, status: res.status, message: res.body.message }).toEqual({ body, status, message: expect.stringMatching(message) });
    }
    expect(await sql('SELECT id FROM tasks WHERE company_id = $1', [tenant.companyId])).toHaveLength(before);
  });

  it('never shows or completes another company\'s task', async () => {
    const other = await createTenant(http);
    const theirs = (await other.admin.post('/v1/tasks', { assigneeId: other.adminId, title: 'Secret chore' })).body;
    for (const res of [await tenant.admin.get(`/v1/tasks/${theirs.id}`), await tenant.admin.post(`/v1/tasks/${theirs.id}/complete`)]) {
      expect(res.status).toBe(404);
      expect(res.body.message).toBe(`task ${theirs.id} not found`);
    }
    expect((await tenant.admin.get(`/v1/tasks?assignee=${other.adminId}`)).body.data).toEqual([]);
    expect((await other.admin.get(`/v1/tasks/${theirs.id}`)).body.status).toBe('open');
    expect((await tenant.admin.get('/v1/tasks/bad-id')).status).toBe(400);
    expect((await http.get('/v1/tasks')).status).toBe(401);
  });

  it('shows each user their own notifications, newest first, and marks them read', async () => {
    const insert = (userId: string, title: string, at: string) => sql<{ id: string }>(
      `INSERT INTO notifications (company_id, user_id, title, body, created_at) VALUES ($1, $2, $3, 'body', $4) RETURNING id`,
      [tenant.companyId, userId, title, at],
    );
    const [n1] = await insert(sam.id, 'first', '2026-12-01T10:00:00Z');
    const [n2] = await insert(sam.id, 'second', '2026-12-01T11:00:00Z');
    const [n3] = await insert(sam.id, 'third', '2026-12-01T12:00:00Z');
    const [kims] = await insert(kim.id, 'for Kim', '2026-12-01T12:00:00Z');

    const page = await sam.http.get('/v1/notifications?limit=2');
    expect(page.body.data.map((n: { title: string }) => n.title)).toEqual(['third', 'second']);
    const rest = await sam.http.get(`/v1/notifications?limit=2&cursor=${page.body.nextCursor}`);
    expect(rest.body).toEqual({ data: [expect.objectContaining({ id: n1.id, readAt: null })], nextCursor: null });

    const read = await sam.http.post(`/v1/notifications/${n2.id}/read`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id: n2.id, title: 'second', readAt: expect.any(String) });
    const again = await sam.http.post(`/v1/notifications/${n2.id}/read`);
    expect(again.body.readAt).toBe(read.body.readAt);
    expect((await sam.http.get('/v1/notifications?unread=true')).body.data.map((n: { id: string }) => n.id)).toEqual([n3.id, n1.id]);
    expect((await sam.http.get('/v1/notifications?unread=false')).body.data.map((n: { id: string }) => n.id)).toEqual([n2.id]);

    const notMine = await sam.http.post(`/v1/notifications/${kims.id}/read`);
    expect(notMine.status).toBe(404);
    expect((await kim.http.get('/v1/notifications')).body.data).toEqual([expect.objectContaining({ id: kims.id, readAt: null })]);
    expect((await sam.http.get('/v1/notifications?unread=maybe')).status).toBe(400);
  });

  it('describes every ledger endpoint in the OpenAPI document, with examples and errors', async () => {
    const doc = (await http.get('/docs-json')).body;
    const expected: [string, string][] = [
      ['/v1/customers', 'post'], ['/v1/customers', 'get'], ['/v1/customers/{id}', 'get'], ['/v1/customers/{id}', 'patch'], ['/v1/customers/{id}', 'delete'],
      ['/v1/vendors', 'post'], ['/v1/vendors/{id}', 'delete'], ['/v1/locations', 'post'], ['/v1/locations/{id}', 'patch'],
      ['/v1/invoices', 'post'], ['/v1/invoices', 'get'], ['/v1/invoices/{id}', 'get'], ['/v1/invoices/{id}', 'patch'],
      ['/v1/invoices/{id}', 'delete'], ['/v1/invoices/{id}/send', 'post'],
      ['/v1/bills', 'post'], ['/v1/bills', 'get'], ['/v1/bills/{id}/pay', 'post'],
      ['/v1/payments', 'post'], ['/v1/payments', 'get'], ['/v1/payments/{id}', 'get'],
      ['/v1/deposits', 'post'], ['/v1/deposits', 'get'], ['/v1/deposits/{id}', 'get'],
      ['/v1/tasks', 'get'], ['/v1/tasks', 'post'], ['/v1/tasks/{id}', 'get'], ['/v1/tasks/{id}/complete', 'post'],
      ['/v1/notifications', 'get'], ['/v1/notifications/{id}/read', 'post'], ['/v1/diagnostics/ping', 'get'],
    ];
    for (const [path, method] of expected) {
      const op = doc.paths[path]?.[method];
      expect({ path, method, documented: !!op }).toEqual({ path, method, documented: true });
      const success = Object.entries(op.responses).find(([code]) => code.startsWith('2'));
      expect({ path, method, success: !!success }).toEqual({ path, method, success: true });
    }
    const send = doc.paths['/v1/invoices/{id}/send'].post;
    expect(send.responses['409'].content['application/json']).toMatchObject({
      schema: { $ref: '#/components/schemas/Error' }, example: { message: expect.stringMatching(/cannot be sent until approved/) },
    });
    expect(send.responses['401']).toBeDefined();
    expect(doc.paths['/v1/invoices'].get.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['approvalStatus', 'customerId', 'dueFrom', 'dueTo', 'sent', 'limit', 'cursor']),
    );
    const createInvoice = doc.components.schemas.CreateInvoiceDto;
    expect(createInvoice.properties.amount.example).toBe('1250.00');
    expect(createInvoice.required).toEqual(expect.arrayContaining(['number', 'customerId', 'amount', 'dueDate']));
  });

  it('answers the bare ping without a key', async () => {
    const res = await http.get('/v1/diagnostics/ping');
    expect(res).toMatchObject({ status: 200, body: { ok: true } });
  });
});

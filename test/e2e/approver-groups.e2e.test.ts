import { Client, Connection } from '@temporalio/client';
import { closeDb, sql } from '../support/db';
import { testEnv } from '../support/env';
import { createTenant, createUser, type Tenant } from '../support/fixtures';
import { Http } from '../support/http';
import { createCustomer, tag } from '../support/ledger';
import { Stack } from '../support/stack';
import { until } from '../support/until';


/** The `seatLost` signals a run received, read from its history (their payloads may be encrypted: only the count). */
async function seatLostSignals(workflowId: string): Promise<number> {
  const connection = await Connection.connect({ address: testEnv().temporalAddress });
  try {
    const history = await new Client({ connection, namespace: testEnv().temporalNamespace }).workflow.getHandle(workflowId).fetchHistory();
    return (history.events ?? []).filter((e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'seatLost').length;
  } finally {
    await connection.close();
  }
}

async function auditOf(t: Tenant, type: string, targetId: string): Promise<unknown[]> {
  const res = await t.admin.get(`/v1/audit-events?type=${type}&limit=200`);
  expect(res.status).toBe(200);
  return res.body.data.filter((e: { targetId: string }) => e.targetId === targetId).map((e: { data: unknown }) => e.data);
}

/**
 * Approver groups (CRUD, validation, tenants, roles), users' approval limits, definitions that name groups or route by
 * limit, and the seat-loss signals told to pending runs, through the real API, worker, Temporal and Postgres.
 */
describe('approver groups and approval limits', () => {
  const stack = new Stack('approver-groups');
  let http: Http;

  beforeAll(async () => {
    await stack.start();
    http = new Http(stack.baseUrl);
  });
  afterAll(async () => {
    await closeDb();
    await stack.stop();
  });

  it('creates, reads, pages, changes and deletes a group; each change is in the audit trail', async () => {
    const t = await createTenant(http);
    const ann = await createUser(t, 'standard', 'Ann');
    const bob = await createUser(t, 'standard', 'Bob');
    const cid = await createUser(t, 'standard', 'Cid');

    const created = await t.admin.post('/v1/approver-groups', { name: '  Finance ', memberIds: [ann.id, bob.id, ann.id.toUpperCase()] });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Finance', companyId: t.companyId });
    expect([...created.body.memberIds].sort()).toEqual([ann.id, bob.id].sort());
    const id = created.body.id;

    // Any user reads.
    const one = await ann.http.get(`/v1/approver-groups/${id}`);
    expect(one.status).toBe(200);
    expect(one.body).toEqual(created.body);
    const second = await t.admin.post('/v1/approver-groups', { name: 'Managers', memberIds: [] });
    expect(second.status).toBe(201);
    const page1 = await ann.http.get('/v1/approver-groups?limit=1');
    expect(page1.status).toBe(200);
    expect(page1.body.data.map((g: { id: string }) => g.id)).toEqual([id]);
    const page2 = await ann.http.get(`/v1/approver-groups?limit=1&cursor=${page1.body.nextCursor}`);
    expect(page2.body).toEqual({ data: [second.body], nextCursor: null });

    const changed = await t.admin.patch(`/v1/approver-groups/${id}`, { name: 'Finance team', memberIds: [bob.id, cid.id] });
    expect(changed.status).toBe(200);
    expect(changed.body.name).toBe('Finance team');
    expect([...changed.body.memberIds].sort()).toEqual([bob.id, cid.id].sort());
    const renamedOnly = await t.admin.patch(`/v1/approver-groups/${id}`, { name: 'Finance' });
    expect([...renamedOnly.body.memberIds].sort()).toEqual([bob.id, cid.id].sort());

    expect((await t.admin.delete(`/v1/approver-groups/${id}`)).status).toBe(204);
    expect((await t.admin.get(`/v1/approver-groups/${id}`)).status).toBe(404);

    expect(await auditOf(t, 'approver_group.created', id)).toEqual([{ name: 'Finance', memberIds: expect.arrayContaining([ann.id, bob.id]), memberCount: 2 }]);
    expect(await auditOf(t, 'approver_group.updated', id)).toEqual([
      { changes: { name: { old: 'Finance team', new: 'Finance' } }, added: [], addedCount: 0, removed: [], removedCount: 0 },
      { changes: { name: { old: 'Finance', new: 'Finance team' } }, added: [cid.id], addedCount: 1, removed: [ann.id], removedCount: 1 },
    ]);
    expect(await auditOf(t, 'approver_group.deleted', id)).toEqual([{ name: 'Finance', memberIds: expect.arrayContaining([bob.id, cid.id]), memberCount: 2 }]);
  });

  it('refuses bad input (400), unknown or foreign members (404 naming them), inactive members and taken names (409), and changes nothing', async () => {
    const t = await createTenant(http);
    const other = await createTenant(http);
    const ann = await createUser(t, 'standard', 'Ann');
    const gone = await createUser(t, 'standard', 'Gus');
    expect((await t.admin.post(`/v1/users/${gone.id}/deactivate`, {})).status).toBe(200);
    const unknown = '00000000-0000-4000-8000-000000000000';
    const many = Array.from({ length: 501 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);

    for (const [body, status, message] of [
      [{ memberIds: [] }, 400, 'name'],
      [{ name: '   ', memberIds: [] }, 400, 'name must not be empty'],
      [{ name: 'x'.repeat(201), memberIds: [] }, 400, 'name must be shorter than or equal to 200 characters'],
      [{ name: 'A' }, 400, 'memberIds'],
      [{ name: 'A', memberIds: 'nope' }, 400, 'memberIds'],
      [{ name: 'A', memberIds: ['nope'] }, 400, 'memberIds'],
      [{ name: 'A', memberIds: many }, 400, 'at most 500'],
      [{ name: 'A', memberIds: [ann.id], extra: 1 }, 400, 'property extra should not exist'],
      [{ name: 'A', memberIds: [ann.id, unknown] }, 404, `user ${unknown} not found`],
      [{ name: 'A', memberIds: [other.adminId] }, 404, `user ${other.adminId} not found`],
      [{ name: 'A', memberIds: [gone.id] }, 409, `user ${gone.id} is deactivated`],
    ] as const) {
      const res = await t.admin.post('/v1/approver-groups', body);
      expect({ status: res.status, message: res.body.message }).toEqual({ status, message: expect.stringContaining(message) });
    }
    expect((await t.admin.get('/v1/approver-groups')).body.data).toEqual([]);

    const finance = await t.admin.post('/v1/approver-groups', { name: 'Finance', memberIds: [ann.id] });
    expect(finance.status).toBe(201);
    const dup = await t.admin.post('/v1/approver-groups', { name: 'FINANCE', memberIds: [] });
    expect(dup.status).toBe(409);
    expect(dup.body.message).toContain('"FINANCE"');
    // Another company may use the name.
    expect((await other.admin.post('/v1/approver-groups', { name: 'Finance', memberIds: [] })).status).toBe(201);
    const ops = await t.admin.post('/v1/approver-groups', { name: 'Ops', memberIds: [] });
    const renamed = await t.admin.patch(`/v1/approver-groups/${ops.body.id}`, { name: 'finance' });
    expect(renamed.status).toBe(409);
    const badMembers = await t.admin.patch(`/v1/approver-groups/${finance.body.id}`, { memberIds: [unknown] });
    expect(badMembers.status).toBe(404);
    expect(badMembers.body.message).toContain(unknown);
    expect((await t.admin.patch(`/v1/approver-groups/${finance.body.id}`, { memberIds: null })).status).toBe(400);
    expect((await t.admin.get(`/v1/approver-groups/${finance.body.id}`)).body).toMatchObject({ name: 'Finance', memberIds: [ann.id] });
    expect((await t.admin.get(`/v1/approver-groups/${ops.body.id}`)).body.name).toBe('Ops');
  });

  it('keeps a member deactivated since (a PATCH with the same members passes), refusing only to add one', async () => {
    const t = await createTenant(http);
    const ann = await createUser(t, 'standard', 'Ann');
    const bob = await createUser(t, 'standard', 'Bob');
    const gus = await createUser(t, 'standard', 'Gus');
    const group = await t.admin.post('/v1/approver-groups', { name: 'Finance', memberIds: [ann.id, bob.id] });
    expect(group.status).toBe(201);
    expect((await t.admin.post(`/v1/users/${bob.id}/deactivate`, {})).status).toBe(200);
    expect((await t.admin.post(`/v1/users/${gus.id}/deactivate`, {})).status).toBe(200);

    const listed = (await t.admin.get(`/v1/approver-groups/${group.body.id}`)).body.memberIds;
    expect([...listed].sort()).toEqual([ann.id, bob.id].sort());
    const same = await t.admin.patch(`/v1/approver-groups/${group.body.id}`, { name: 'Finance team', memberIds: listed });
    expect(same.status).toBe(200);
    expect(same.body).toMatchObject({ name: 'Finance team' });
    expect([...same.body.memberIds].sort()).toEqual([ann.id, bob.id].sort());

    const adding = await t.admin.patch(`/v1/approver-groups/${group.body.id}`, { memberIds: [...listed, gus.id] });
    expect(adding.status).toBe(409);
    expect(adding.body.message).toContain(`user ${gus.id} is deactivated`);
    const dropped = await t.admin.patch(`/v1/approver-groups/${group.body.id}`, { memberIds: [ann.id] });
    expect(dropped.body.memberIds).toEqual([ann.id]);
    const readding = await t.admin.patch(`/v1/approver-groups/${group.body.id}`, { memberIds: [ann.id, bob.id] });
    expect(readding.status).toBe(409);
    expect(readding.body.message).toContain(`user ${bob.id} is deactivated`);
  });

  it('refuses to delete a group while open tasks wait in it (409 counting them); closed tasks do not hold it', async () => {
    const t = await createTenant(http);
    const ann = await createUser(t, 'standard', 'Ann');
    const group = await t.admin.post('/v1/approver-groups', { name: 'Deposits', memberIds: [ann.id] });
    expect(group.status).toBe(201);
    const task = (status: string) => sql(
      `INSERT INTO tasks (company_id, assignee_id, kind, title, description, status, candidate_group_id)
       VALUES ($1, NULL, 'manual', 'Deposit', '', $2, $3)`, [t.companyId, status, group.body.id]);
    await task('open');
    await task('open');
    await task('completed');

    const refused = await t.admin.delete(`/v1/approver-groups/${group.body.id}`);
    expect(refused.status).toBe(409);
    expect(refused.body.message).toContain('2 open task(s)');
    expect((await t.admin.get(`/v1/approver-groups/${group.body.id}`)).status).toBe(200);

    await sql(`UPDATE tasks SET status = 'completed' WHERE candidate_group_id = $1`, [group.body.id]);
    expect((await t.admin.delete(`/v1/approver-groups/${group.body.id}`)).status).toBe(204);
  });

  it('answers another company\'s group exactly as a missing one (404), and lets only admins change groups (403)', async () => {
    const t = await createTenant(http);
    const other = await createTenant(http);
    const sam = await createUser(t, 'standard', 'Sam');
    const group = await t.admin.post('/v1/approver-groups', { name: 'Finance', memberIds: [sam.id] });
    const id = group.body.id;
    const missing = '00000000-0000-4000-8000-000000000001';

    for (const [res, gid] of [
      [await other.admin.get(`/v1/approver-groups/${id}`), id],
      [await other.admin.patch(`/v1/approver-groups/${id}`, { name: 'Mine' }), id],
      [await other.admin.delete(`/v1/approver-groups/${id}`), id],
      [await t.admin.get(`/v1/approver-groups/${missing}`), missing],
    ] as const) {
      expect({ status: res.status, message: res.body.message }).toEqual({ status: 404, message: `approver group ${gid} not found` });
    }
    expect((await other.admin.get('/v1/approver-groups')).body.data).toEqual([]);

    expect((await sam.http.post('/v1/approver-groups', { name: 'Mine', memberIds: [] })).status).toBe(403);
    expect((await sam.http.patch(`/v1/approver-groups/${id}`, { memberIds: [] })).status).toBe(403);
    expect((await sam.http.delete(`/v1/approver-groups/${id}`)).status).toBe(403);
    expect((await sam.http.get(`/v1/approver-groups/${id}`)).body).toMatchObject({ name: 'Finance', memberIds: [sam.id] });
  });

  it('sets a user\'s approval limit (admins only, a decimal string or null, never a number), with before and after in the audit trail', async () => {
    const t = await createTenant(http);
    const sam = await createUser(t, 'standard', 'Sam');
    expect((await t.admin.get(`/v1/users/${sam.id}`)).body.approvalLimit).toBeNull();

    const set = await t.admin.patch(`/v1/users/${sam.id}`, { approvalLimit: '5000' });
    expect(set.status).toBe(200);
    expect(set.body.approvalLimit).toBe('5000.00');
    expect((await sam.http.get('/v1/users/me')).body.approvalLimit).toBe('5000.00');
    const both = await t.admin.patch(`/v1/users/${sam.id}`, { approvalLimit: '250.50', role: 'admin' });
    expect(both.body).toMatchObject({ approvalLimit: '250.50', role: 'admin' });
    expect((await t.admin.patch(`/v1/users/${sam.id}`, { approvalLimit: '250.5' })).status).toBe(200);
    const cleared = await t.admin.patch(`/v1/users/${sam.id}`, { approvalLimit: null });
    expect(cleared.body.approvalLimit).toBeNull();

    for (const [value, message] of [
      [5000, 'not a JSON number'],
      ['1.234', 'more than two decimals'],
      ['-1', 'must not be negative'],
      ['abc', 'approvalLimit must be a decimal string'],
      ['1e3', 'approvalLimit must be a decimal string'],
    ] as const) {
      const res = await t.admin.patch(`/v1/users/${sam.id}`, { approvalLimit: value });
      expect({ value, status: res.status, message: res.body.message }).toEqual({ value, status: 400, message: expect.stringContaining(message) });
    }
    const bea = await createUser(t, 'standard', 'Bea');
    expect((await bea.http.patch(`/v1/users/${bea.id}`, { approvalLimit: '1000000.00' })).status).toBe(403);
    expect((await t.admin.get(`/v1/users/${sam.id}`)).body.approvalLimit).toBeNull();

    expect(await auditOf(t, 'user.approval_limit_changed', sam.id)).toEqual([
      { from: '250.50', to: null },
      { from: '5000.00', to: '250.50' },
      { from: null, to: '5000.00' },
    ]);
    expect(await auditOf(t, 'user.role_changed', sam.id)).toEqual([{ from: 'standard', to: 'admin' }]);
  });

  it('saves a definition whose steps name groups or route by limit; refuses another company\'s group, and deleting a group an active definition names', async () => {
    const t = await createTenant(http);
    const other = await createTenant(http);
    const ann = await createUser(t, 'standard', 'Ann');
    const group = await t.admin.post('/v1/approver-groups', { name: 'Finance', memberIds: [ann.id] });
    const foreign = await other.admin.post('/v1/approver-groups', { name: 'Finance', memberIds: [] });

    const saved = await t.admin.post('/v1/workflows', {
      templateKey: 'invoice-approval', name: 'By group',
      actions: [{ type: 'approval', steps: [{ groupIds: [group.body.id], required: 2 }, { approverIds: [ann.id], routing: 'limit' }] }],
      activate: true,
    });
    expect(saved.status).toBe(201);
    expect(saved.body.actions[0].steps).toEqual([
      { approverIds: [], groupIds: [group.body.id], required: 2 },
      { approverIds: [ann.id], routing: 'limit' },
    ]);

    for (const [actions, message] of [
      [[{ type: 'approval', groupIds: [foreign.body.id] }], `actions[0].steps[0].groupIds[0]: approver group ${foreign.body.id} is not a group of this company`],
      [[{ type: 'approval', groupIds: ['nope'] }], 'is not a group id'],
      [[{ type: 'approval', approverIds: [ann.id], routing: 'amount' }], 'routing must be "limit"'],
    ] as const) {
      const res = await t.admin.post('/v1/workflows', { templateKey: 'invoice-approval', name: 'Bad', actions });
      expect({ status: res.status, message: res.body.message }).toEqual({ status: 400, message: expect.stringContaining(message) });
    }
    const empty = await t.admin.post('/v1/workflows', { templateKey: 'invoice-approval', name: 'Empty', actions: [{ type: 'approval', groupIds: [] }], activate: true });
    expect(empty.status).toBe(422);
    expect(empty.body.message).toContain('approverIds or groupIds');

    const refused = await t.admin.delete(`/v1/approver-groups/${group.body.id}`);
    expect(refused.status).toBe(409);
    expect(refused.body.message).toContain('"By group"');
    expect(refused.body.message).toContain(saved.body.id);
    expect((await t.admin.get(`/v1/approver-groups/${group.body.id}`)).status).toBe(200);
    expect((await t.admin.post(`/v1/workflows/${saved.body.id}/deactivate`)).status).toBe(200);
    expect((await t.admin.delete(`/v1/approver-groups/${group.body.id}`)).status).toBe(204);
  });

  it('tells a pending run naming the group when a member leaves it, when a limit is lowered (limit routing), and when a member is deactivated', async () => {
    const t = await createTenant(http);
    const creator = await createUser(t, 'standard', 'Cora');
    const avery = await createUser(t, 'standard', 'Avery');
    const gil = await createUser(t, 'standard', 'Gil');
    const hal = await createUser(t, 'standard', 'Hal');
    const group = await t.admin.post('/v1/approver-groups', { name: 'Finance', memberIds: [gil.id, hal.id] });
    expect(group.status).toBe(201);
    const definition = await t.admin.post('/v1/workflows', {
      templateKey: 'invoice-approval', name: 'Large invoices',
      conditions: [{ field: 'amount', op: 'gt', value: '1000.00' }],
      actions: [{ type: 'approval', steps: [{ approverIds: [avery.id], groupIds: [group.body.id], routing: 'limit' }], timeoutDays: 30 }],
      activate: true,
    });
    expect(definition.status).toBe(201);
    const customer = await createCustomer(t.admin, { email: `billing-${tag()}@globex.test` });
    const invoice = await creator.http.post('/v1/invoices', { number: `INV-${tag()}`, customerId: customer.id, amount: '1250.00', issueDate: '2026-12-01', dueDate: '2026-12-31' });
    expect(invoice.status).toBe(201);
    const submitted = await creator.http.post(`/v1/invoices/${invoice.body.id}/submit-for-approval`);
    expect(submitted.status).toBe(200);
    const [approval] = await sql<{ workflowId: string; steps: unknown }>(
      'SELECT workflow_id AS "workflowId", steps FROM approvals WHERE invoice_id = $1', [invoice.body.id]);
    expect(approval.steps).toEqual([expect.objectContaining({ groupIds: [group.body.id], routing: 'limit' })]);

    // A group the run does not name tells it nothing.
    const unrelated = await t.admin.post('/v1/approver-groups', { name: 'Others', memberIds: [gil.id] });
    expect((await t.admin.patch(`/v1/approver-groups/${unrelated.body.id}`, { memberIds: [] })).status).toBe(200);

    expect((await t.admin.patch(`/v1/approver-groups/${group.body.id}`, { memberIds: [hal.id] })).status).toBe(200);
    await until(() => seatLostSignals(approval.workflowId), (n) => n === 1, 'the seat-loss signal of a member removed');

    // Raising a limit (or setting the same) takes no seat; lowering it, or setting one where there was none, may.
    expect((await t.admin.patch(`/v1/users/${hal.id}`, { approvalLimit: '5000.00' })).status).toBe(200);
    await until(() => seatLostSignals(approval.workflowId), (n) => n === 2, 'the seat-loss signal of a limit set');
    expect((await t.admin.patch(`/v1/users/${hal.id}`, { approvalLimit: '9000.00' })).status).toBe(200);
    expect((await t.admin.patch(`/v1/users/${hal.id}`, { approvalLimit: '100.00' })).status).toBe(200);
    await until(() => seatLostSignals(approval.workflowId), (n) => n === 3, 'the seat-loss signal of a limit lowered');

    // A member who holds only a group seat is deactivated without handoverTo.
    const deactivated = await t.admin.post(`/v1/users/${hal.id}/deactivate`, {});
    expect(deactivated.status).toBe(200);
    await until(() => seatLostSignals(approval.workflowId), (n) => n === 4, 'the seat-loss signal of a member deactivated');
    expect(await seatLostSignals(approval.workflowId)).toBe(4);
  });
});

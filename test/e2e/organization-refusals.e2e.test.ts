import { closeDb, sql } from '../support/db';
import { createTenant, createUser, type Tenant } from '../support/fixtures';
import { Http } from '../support/http';
import { createVendor, tag } from '../support/ledger';
import { Stack } from '../support/stack';

type Method = 'get' | 'post' | 'patch' | 'delete';

/**
 * The routes of approvals across an organization (groups, limits, bills' approvals, bulk decisions, the task inbox,
 * versions) refused to an anonymous caller and a former employee's key (401), to another tenant (404, as a missing
 * id) and, where they are admins' only, to a standard user (403); none of them changes anything.
 */
describe('approvals across an organization: who is refused', () => {
  const stack = new Stack('organization-refusals');
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

  const call = (as: Http, method: Method, path: string, body?: unknown) =>
    (method === 'post' || method === 'patch' ? as[method](path, body ?? {}) : as[method](path));

  it('refuses anonymous callers, a former employee, another tenant and a standard user, and changes nothing', async () => {
    const sam = await createUser(tenant, 'standard', 'Sam');
    const ann = await createUser(tenant, 'standard', 'Ann');
    const leaver = await createUser(tenant, 'admin', 'Lee');
    expect((await tenant.admin.post(`/v1/users/${leaver.id}/deactivate`, {})).status).toBe(200);
    const other = await createTenant(http);

    const group = (await tenant.admin.post('/v1/approver-groups', { name: `Finance ${tag()}`, memberIds: [sam.id, ann.id] })).body;
    const vendor = await createVendor(tenant.admin);
    const bill = (await tenant.admin.post('/v1/bills', {
      vendorId: vendor.id, number: `B-${tag()}`, amount: '1250.00', issueDate: '2026-12-01', dueDate: '2026-12-31', memo: 'chairs',
    })).body;
    const task = (await tenant.admin.post('/v1/tasks', { title: 'Call the vendor', candidateGroupId: group.id })).body;
    const definition = (await tenant.admin.post('/v1/workflows', { templateKey: 'payment-due-reminder', name: 'Due soon', schedule: { time: '09:00' } })).body;
    expect([group.id, bill.id, task.id, definition.id].every((id) => typeof id === 'string')).toBe(true);

    const calls: Array<[Method, string, unknown?]> = [
      ['get', '/v1/approver-groups'],
      ['post', '/v1/approver-groups', { name: 'Intruders', memberIds: [] }],
      ['get', `/v1/approver-groups/${group.id}`],
      ['patch', `/v1/approver-groups/${group.id}`, { name: 'Taken over', memberIds: [] }],
      ['delete', `/v1/approver-groups/${group.id}`],
      ['patch', `/v1/users/${ann.id}`, { approvalLimit: '1000000.00', role: 'admin' }],
      ['post', `/v1/bills/${bill.id}/submit-for-approval`],
      ['post', `/v1/bills/${bill.id}/approve`, { comment: 'fine' }],
      ['post', `/v1/bills/${bill.id}/reject`, { reason: 'no' }],
      ['get', `/v1/bills/${bill.id}/approval`],
      ['post', '/v1/approvals/bulk', { decision: 'approve', items: [{ kind: 'bill', id: bill.id }] }],
      ['post', `/v1/tasks/${task.id}/claim`],
      ['post', `/v1/tasks/${task.id}/unclaim`],
      ['post', `/v1/tasks/${task.id}/reassign`, { assigneeId: sam.id }],
      ['get', `/v1/tasks/${task.id}/comments`],
      ['post', `/v1/tasks/${task.id}/comments`, { body: 'mine now' }],
      ['get', `/v1/workflows/${definition.id}/versions`],
      ['get', `/v1/workflows/${definition.id}/versions/1`],
    ];
    /** A list, a creation and a bulk call name no record: another tenant gets its own (empty) answers there. */
    const noRecord = new Set(['/v1/approver-groups', '/v1/approvals/bulk']);
    const adminsOnly = new Set(['post /v1/approver-groups', `patch /v1/approver-groups/${group.id}`, `delete /v1/approver-groups/${group.id}`, `patch /v1/users/${ann.id}`]);

    for (const [method, path, body] of calls) {
      const anonymous = (await call(http, method, path, body)).status;
      const former = (await call(leaver.http, method, path, body)).status;
      expect({ method, path, anonymous, former }).toEqual({ method, path, anonymous: 401, former: 401 });
      if (!noRecord.has(path)) expect({ method, path, tenant: (await call(other.admin, method, path, body)).status }).toEqual({ method, path, tenant: 404 });
      if (adminsOnly.has(`${method} ${path}`)) expect({ method, path, standard: (await call(sam.http, method, path, body)).status }).toEqual({ method, path, standard: 403 });
    }

    const bulk = await other.admin.post('/v1/approvals/bulk', { decision: 'approve', items: [{ kind: 'bill', id: bill.id }] });
    expect(bulk.status).toBe(200);
    expect(bulk.body.results).toEqual([expect.objectContaining({ kind: 'bill', id: bill.id, outcome: 'refused', status: 404 })]);
    expect((await other.admin.get('/v1/approver-groups')).body.data).toEqual([]);
    expect((await other.admin.post('/v1/approver-groups', { name: 'Theirs', memberIds: [sam.id] })).status).toBe(404);

    // Nothing changed.
    const after = (await tenant.admin.get(`/v1/approver-groups/${group.id}`)).body;
    expect({ name: after.name, members: after.memberIds.length }).toEqual({ name: group.name, members: 2 });
    expect(await sql('SELECT role, approval_limit FROM users WHERE id = $1', [ann.id])).toEqual([{ role: 'standard', approval_limit: null }]);
    expect(await sql('SELECT approval_status, approval_submissions FROM bills WHERE id = $1', [bill.id])).toEqual([{ approval_status: 'not_required', approval_submissions: 0 }]);
    expect(await sql('SELECT claimed_by, assignee_id FROM tasks WHERE id = $1', [task.id])).toEqual([{ claimed_by: null, assignee_id: null }]);
    expect(await sql('SELECT 1 FROM task_comments WHERE task_id = $1', [task.id])).toEqual([]);
    expect(await sql('SELECT version FROM workflow_definitions WHERE id = $1', [definition.id])).toEqual([{ version: 1 }]);
  });
});

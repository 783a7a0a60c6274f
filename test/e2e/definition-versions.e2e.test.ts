/* eslint-disable @typescript-eslint/no-explicit-any */
import { randomUUID } from 'node:crypto';
import { approvalCompany, ApprovalCompany, createLargeInvoice, tasksOf } from '../support/approval';
import { closeDb } from '../support/db';
import { createTenant, createUser } from '../support/fixtures';
import { Http } from '../support/http';
import { Stack } from '../support/stack';
import { until } from '../support/until';

/**
 * Versions of approval definitions through the real API: an edit of an active (or once active) approval definition
 * makes version n+1 and keeps every version's content; a draft's edits, and the edits of other templates, change the
 * current version. Every test works in a company of its own.
 */
describe('definition versions', () => {
  const stack = new Stack('definition-versions');
  let http: Http;

  beforeAll(async () => {
    await stack.start();
    http = new Http(stack.baseUrl);
  });
  afterAll(async () => {
    await closeDb();
    await stack.stop();
  });

  const approvalAction = (approverIds: string[]) => ({ type: 'approval', approverIds, timeoutDays: 30 });
  const versionsOf = async (c: ApprovalCompany, id: string, query = '') => {
    const res = await c.tenant.admin.get(`/v1/workflows/${id}/versions${query}`);
    expect(res.status).toBe(200);
    return res.body;
  };

  it('an edit of an active approval definition makes version n+1; every version keeps its content, who made it and when', async () => {
    const c = await approvalCompany(http);
    const created = (await c.tenant.admin.get(`/v1/workflows/${c.definitionId}`)).body;
    expect(created).toMatchObject({ status: 'active', version: 1 });
    const v1Actions = created.actions;

    const edited = await c.tenant.admin.patch(`/v1/workflows/${c.definitionId}`, { actions: [approvalAction([c.outsider.id])] });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ version: 2, actions: [{ type: 'approval', steps: [{ approverIds: [c.outsider.id] }] }] });
    expect((await c.tenant.admin.get(`/v1/workflows/${c.definitionId}`)).body.version).toBe(2);

    const renamed = await c.tenant.admin.patch(`/v1/workflows/${c.definitionId}`, { name: 'Very large invoices' });
    expect(renamed.body).toMatchObject({ version: 3, name: 'Very large invoices' });
    // A save that changes nothing makes no version.
    expect((await c.tenant.admin.patch(`/v1/workflows/${c.definitionId}`, { name: 'Very large invoices' })).body.version).toBe(3);

    const page = await versionsOf(c, c.definitionId);
    expect(page.nextCursor).toBeNull();
    expect(page.data.map((v: any) => [v.version, v.name])).toEqual([[3, 'Very large invoices'], [2, 'Large invoices'], [1, 'Large invoices']]);
    const v1 = page.data[2];
    expect(v1).toEqual({
      definitionId: c.definitionId, version: 1, name: 'Large invoices', conditions: [{ field: 'amount', op: 'gt', value: '1000.00' }],
      actions: v1Actions, createdBy: c.tenant.adminId, createdAt: created.createdAt,
    });
    expect(page.data[1].actions).toEqual(edited.body.actions);
    expect(Date.parse(page.data[1].createdAt)).toBeGreaterThanOrEqual(Date.parse(created.createdAt));

    expect((await c.tenant.admin.get(`/v1/workflows/${c.definitionId}/versions/1`)).body).toEqual(v1);
    expect((await c.tenant.admin.get(`/v1/workflows/${c.definitionId}/versions/2`)).body).toEqual(page.data[1]);
    // Any user of the company reads them, as they read the definition.
    expect((await c.creator.http.get(`/v1/workflows/${c.definitionId}/versions/3`)).body).toEqual(page.data[0]);

    const first = await versionsOf(c, c.definitionId, '?limit=2');
    expect(first.data.map((v: any) => v.version)).toEqual([3, 2]);
    const second = await versionsOf(c, c.definitionId, `?limit=2&cursor=${first.nextCursor}`);
    expect(second).toEqual({ data: [v1], nextCursor: null });
  });

  it('a draft is edited in place; once it has been active, even deactivated, an edit makes a version; other templates keep one', async () => {
    const c = await approvalCompany(http);
    const draft = await c.tenant.admin.post('/v1/workflows', {
      templateKey: 'invoice-approval', name: 'Draft', conditions: [{ field: 'amount', op: 'gt', value: '5000.00' }], actions: [approvalAction([c.approver.id])],
    });
    expect(draft.body).toMatchObject({ status: 'draft', version: 1 });
    const drafted = await c.tenant.admin.patch(`/v1/workflows/${draft.body.id}`, { name: 'Draft 2', actions: [approvalAction([c.outsider.id])] });
    expect(drafted.body).toMatchObject({ version: 1, name: 'Draft 2' });
    const onlyVersion = await versionsOf(c, draft.body.id);
    expect(onlyVersion.data).toHaveLength(1);
    expect(onlyVersion.data[0]).toMatchObject({ version: 1, name: 'Draft 2', actions: drafted.body.actions });

    expect((await c.tenant.admin.post(`/v1/workflows/${draft.body.id}/activate`)).body).toMatchObject({ status: 'active', version: 1 });
    expect((await c.tenant.admin.post(`/v1/workflows/${draft.body.id}/deactivate`)).body).toMatchObject({ status: 'inactive', version: 1 });
    // Runs may have started under version 1 while it was active: it stays as it was.
    const inactiveEdit = await c.tenant.admin.patch(`/v1/workflows/${draft.body.id}`, { name: 'Draft 3' });
    expect(inactiveEdit.body).toMatchObject({ status: 'inactive', version: 2 });
    expect((await versionsOf(c, draft.body.id)).data.map((v: any) => [v.version, v.name])).toEqual([[2, 'Draft 3'], [1, 'Draft 2']]);

    const reminder = await c.tenant.admin.post('/v1/workflows', { templateKey: 'payment-due-reminder', name: 'Due soon', schedule: { time: '09:00' }, activate: true });
    expect(reminder.body).toMatchObject({ status: 'active', version: 1 });
    const renamed = await c.tenant.admin.patch(`/v1/workflows/${reminder.body.id}`, { name: 'Due very soon' });
    expect(renamed.body).toMatchObject({ version: 1, name: 'Due very soon' });
    expect((await versionsOf(c, reminder.body.id)).data).toMatchObject([{ version: 1, name: 'Due very soon' }]);
  });

  it("another company's definition is a 404 as a missing one; a version that is not a whole number from 1 is a 400", async () => {
    const c = await approvalCompany(http);
    const other = await createTenant(http);
    const stranger = await createUser(other, 'admin', 'Stan');
    const missing = randomUUID();
    for (const caller of [other.admin, stranger.http]) {
      for (const path of [`/v1/workflows/${c.definitionId}/versions`, `/v1/workflows/${c.definitionId}/versions/1`]) {
        const res = await caller.get(path);
        expect(res.status).toBe(404);
        expect(res.body.message).toBe(`workflow ${c.definitionId} not found`);
      }
    }
    const unknown = await c.tenant.admin.get(`/v1/workflows/${missing}/versions`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.message).toBe(`workflow ${missing} not found`);

    const absent = await c.tenant.admin.get(`/v1/workflows/${c.definitionId}/versions/2`);
    expect(absent.status).toBe(404);
    expect(absent.body.message).toBe(`workflow ${c.definitionId} has no version 2; its latest is 1`);
    for (const n of ['0', '-1', '1.5', 'abc', '99999999999']) {
      const res = await c.tenant.admin.get(`/v1/workflows/${c.definitionId}/versions/${n}`);
      expect(res.status).toBe(400);
      expect(res.body.message).toBe(`"${n}" is not a version number (a whole number from 1)`);
    }
    expect((await c.tenant.admin.get(`/v1/workflows/${c.definitionId}/versions?cursor=nope`)).status).toBe(400);
  });

  it('a pending run keeps the version it started with: its approvers decide, not those of the edited definition; a new submission runs the new version', async () => {
    const c = await approvalCompany(http);
    const before = await createLargeInvoice(c);
    const submitted = await c.creator.http.post(`/v1/invoices/${before.id}/submit-for-approval`);
    expect(submitted.status).toBe(200);
    expect(submitted.body).toMatchObject({ definitionId: c.definitionId, definitionVersion: 1, approvers: [{ id: c.approver.id }] });
    await until(() => tasksOf(c.approver, 'open', before.id), (t) => t.length === 1, "the v1 approver's task");

    const v2 = await c.tenant.admin.patch(`/v1/workflows/${c.definitionId}`, {
      actions: [approvalAction([c.outsider.id]), { type: 'email', to: { userIds: [c.watcher.id] } }],
    });
    expect(v2.body).toMatchObject({ version: 2 });

    const pending = (await c.creator.http.get(`/v1/invoices/${before.id}/approval`)).body;
    expect(pending).toMatchObject({ status: 'pending_approval', definitionVersion: 1, approvers: [{ id: c.approver.id }] });
    expect(await tasksOf(c.outsider, 'open', before.id)).toEqual([]);
    const refused = await c.outsider.http.post(`/v1/invoices/${before.id}/approve`, { comment: 'v2 says me' });
    expect(refused.status).toBe(403);
    const approved = await c.approver.http.post(`/v1/invoices/${before.id}/approve`, { comment: 'v1 says me' });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'approved', definitionVersion: 1, decisions: [{ decision: 'approved', by: { id: c.approver.id } }] });

    const after = await createLargeInvoice(c);
    const next = await c.creator.http.post(`/v1/invoices/${after.id}/submit-for-approval`);
    expect(next.status).toBe(200);
    expect(next.body).toMatchObject({ definitionVersion: 2, approvers: [{ id: c.outsider.id }] });
    await until(() => tasksOf(c.outsider, 'open', after.id), (t) => t.length === 1, "the v2 approver's task");
    expect((await c.approver.http.post(`/v1/invoices/${after.id}/approve`)).status).toBe(403);
    // What the run started with is readable as it was.
    expect((await c.creator.http.get(`/v1/workflows/${c.definitionId}/versions/${pending.definitionVersion}`)).body.actions[0])
      .toMatchObject({ type: 'approval', steps: [{ approverIds: [c.approver.id] }] });
  });

  it('the audit entry of an edit that made a version names it', async () => {
    const c = await approvalCompany(http);
    await c.tenant.admin.patch(`/v1/workflows/${c.definitionId}`, { actions: [approvalAction([c.outsider.id])] });
    const res = await c.tenant.admin.get('/v1/audit-events?type=workflow.updated');
    expect(res.status).toBe(200);
    expect(res.body.data.filter((e: any) => e.targetId === c.definitionId).map((e: any) => e.data)).toEqual([
      { fields: ['actions'], version: { old: 1, new: 2 } },
    ]);
  });
});

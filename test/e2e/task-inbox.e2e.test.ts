import { randomUUID } from 'node:crypto';
import { addDays, todayIn } from '../../src/domain/dates';
import { closeDb, sql } from '../support/db';
import { createTenant, createUser, Tenant } from '../support/fixtures';
import { Http } from '../support/http';
import { Stack } from '../support/stack';

type User = Awaited<ReturnType<typeof createUser>>;
interface TaskBody { id: string; createdAt: string; dueDate: string | null; [k: string]: unknown }

describe('the task inbox: candidate groups, claims, reassignment, comments, filters', () => {
  const stack = new Stack('task-inbox');
  let http: Http;
  let tenant: Tenant;
  let sam: User;
  let kim: User;
  let lee: User;
  let finance: string;

  async function group(t: Tenant, memberIds: string[]): Promise<string> {
    const [g] = await sql<{ id: string }>(
      'INSERT INTO approver_groups (company_id, name) VALUES ($1, $2) RETURNING id', [t.companyId, `Finance ${randomUUID().slice(0, 8)}`],
    );
    for (const userId of memberIds) {
      await sql('INSERT INTO approver_group_members (group_id, user_id, company_id) VALUES ($1, $2, $3)', [g.id, userId, t.companyId]);
    }
    return g.id;
  }

  const auditOf = (taskId: string) => sql<{ type: string; actor_id: string; data: Record<string, unknown> }>(
    'SELECT type, actor_id, data FROM audit_events WHERE target_id = $1 ORDER BY created_at, id', [taskId],
  );

  async function groupTask(by: Http = tenant.admin, fields: Record<string, unknown> = {}): Promise<TaskBody> {
    const res = await by.post('/v1/tasks', { candidateGroupId: finance, title: 'Match the Globex deposit', ...fields });
    if (res.status !== 201) throw new Error(`creating a task failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  beforeAll(async () => {
    await stack.start();
    http = new Http(stack.baseUrl);
    tenant = await createTenant(http);
    sam = await createUser(tenant, 'standard', 'Sam');
    kim = await createUser(tenant, 'standard', 'Kim');
    lee = await createUser(tenant, 'standard', 'Lee');
    finance = await group(tenant, [sam.id, kim.id]);
  });
  afterAll(async () => {
    await closeDb();
    await stack.stop();
  });

  it('gives a task to a candidate group: a member claims it, nobody else can, the claimer or an admin unclaims it', async () => {
    const task = await groupTask();
    expect(task).toMatchObject({ assigneeId: null, candidateGroupId: finance, claimedBy: null, claimedAt: null, status: 'open' });

    expect((await lee.http.post(`/v1/tasks/${task.id}/claim`)).status).toBe(403);
    const claimed = await sam.http.post(`/v1/tasks/${task.id}/claim`);
    expect(claimed.status).toBe(200);
    expect(claimed.body).toMatchObject({ id: task.id, claimedBy: sam.id, claimedAt: expect.any(String) });

    const taken = await kim.http.post(`/v1/tasks/${task.id}/claim`);
    expect(taken.status).toBe(409);
    expect(taken.body.message).toMatch(new RegExp(`task ${task.id} is already claimed by Sam \\(${sam.id}\\)`));
    expect((await tenant.admin.post(`/v1/tasks/${task.id}/claim`)).status).toBe(409);

    expect((await sam.http.get('/v1/tasks?assignee=me&status=open')).body.data.map((t: TaskBody) => t.id)).toContain(task.id);
    expect((await kim.http.post(`/v1/tasks/${task.id}/unclaim`)).status).toBe(403);
    const released = await sam.http.post(`/v1/tasks/${task.id}/unclaim`);
    expect(released.status).toBe(200);
    expect(released.body).toMatchObject({ claimedBy: null, claimedAt: null });
    const notClaimed = await sam.http.post(`/v1/tasks/${task.id}/unclaim`);
    expect(notClaimed.status).toBe(409);
    expect(notClaimed.body.message).toBe(`task ${task.id} is not claimed`);

    expect((await tenant.admin.post(`/v1/tasks/${task.id}/claim`)).body.claimedBy).toBe(tenant.adminId);
    expect((await tenant.admin.post(`/v1/tasks/${task.id}/unclaim`)).status).toBe(200);
    expect((await kim.http.post(`/v1/tasks/${task.id}/claim`)).status).toBe(200);
    expect((await tenant.admin.post(`/v1/tasks/${task.id}/unclaim`)).body.claimedBy).toBeNull();

    expect((await auditOf(task.id)).map((e) => [e.type, e.actor_id])).toEqual([
      ['task.claimed', sam.id], ['task.unclaimed', sam.id], ['task.claimed', tenant.adminId], ['task.unclaimed', tenant.adminId],
      ['task.claimed', kim.id], ['task.unclaimed', tenant.adminId],
    ]);
  });

  it('refuses claims of a task without a candidate group, of an approval task, and of a closed task', async () => {
    const personal = (await tenant.admin.post('/v1/tasks', { assigneeId: sam.id, title: 'Call Globex' })).body;
    const res = await sam.http.post(`/v1/tasks/${personal.id}/claim`);
    expect(res.status).toBe(409);
    expect(res.body.message).toMatch(/has no candidate group: claiming is for tasks with a candidate group/);

    const [approval] = await sql<{ id: string }>(
      `INSERT INTO tasks (company_id, assignee_id, candidate_group_id, kind, title, record_type, record_id)
       VALUES ($1, $2, $3, 'approval', 'Approve INV-1', 'invoice', gen_random_uuid()) RETURNING id`,
      [tenant.companyId, sam.id, finance],
    );
    for (const path of ['claim', 'unclaim']) {
      const refused = await sam.http.post(`/v1/tasks/${approval.id}/${path}`);
      expect(refused.status).toBe(409);
      expect(refused.body.message).toMatch(/approval decisions follow seats; claiming is for tasks with a candidate group/);
    }
    const reassigned = await tenant.admin.post(`/v1/tasks/${approval.id}/reassign`, { assigneeId: kim.id });
    expect(reassigned.status).toBe(409);
    expect(reassigned.body.message).toMatch(/approval decisions follow seats/);

    const done = await groupTask();
    await tenant.admin.post(`/v1/tasks/${done.id}/complete`);
    const closed = await sam.http.post(`/v1/tasks/${done.id}/claim`);
    expect(closed.status).toBe(409);
    expect(closed.body.message).toBe(`task ${done.id} is completed`);
    expect(await sql('SELECT claimed_by FROM tasks WHERE id = ANY($1)', [[approval.id, done.id, personal.id]]))
      .toEqual([{ claimed_by: null }, { claimed_by: null }, { claimed_by: null }]);
  });

  it('lets an admin or the holder reassign an open task to an active user of the company', async () => {
    const task = await groupTask();
    await sam.http.post(`/v1/tasks/${task.id}/claim`);
    expect((await lee.http.post(`/v1/tasks/${task.id}/reassign`, { assigneeId: lee.id })).status).toBe(403);

    const byClaimer = await sam.http.post(`/v1/tasks/${task.id}/reassign`, { assigneeId: kim.id });
    expect(byClaimer.status).toBe(200);
    expect(byClaimer.body).toMatchObject({ assigneeId: kim.id, claimedBy: null, candidateGroupId: finance });
    expect((await kim.http.post(`/v1/tasks/${task.id}/reassign`, { assigneeId: lee.id })).body.assigneeId).toBe(lee.id);
    expect((await tenant.admin.post(`/v1/tasks/${task.id}/reassign`, { assigneeId: sam.id })).body.assigneeId).toBe(sam.id);

    const other = await createTenant(http);
    const gone = await createUser(tenant, 'standard', 'Gus');
    expect((await tenant.admin.post(`/v1/users/${gone.id}/deactivate`, {})).status).toBe(200);
    const refusals: [Record<string, unknown>, number, RegExp][] = [
      [{ assigneeId: other.adminId }, 404, new RegExp(`user ${other.adminId} not found`)],
      [{ assigneeId: randomUUID() }, 404, /not found/],
      [{ assigneeId: gone.id }, 409, new RegExp(`user ${gone.id} is deactivated`)],
      [{ assigneeId: 'me' }, 400, /assigneeId must be an id/],
      [{}, 400, /assigneeId must be an id/],
    ];
    for (const [body, status, message] of refusals) {
      const res = await tenant.admin.post(`/v1/tasks/${task.id}/reassign`, body);
      expect({ body, status: res.status, message: res.body.message }).toEqual({ body, status, message: expect.stringMatching(message) });
    }
    expect((await sam.http.get(`/v1/tasks/${task.id}`)).body.assigneeId).toBe(sam.id);
    expect((await auditOf(task.id)).filter((e) => e.type === 'task.reassigned').map((e) => e.data)).toEqual([
      { from: null, to: kim.id, claimedBy: sam.id }, { from: kim.id, to: lee.id, claimedBy: null }, { from: lee.id, to: sam.id, claimedBy: null },
    ]);
  });

  it('keeps a task\'s comments, paged oldest first, and audits each without its text', async () => {
    const task = await groupTask();
    for (const [who, body] of [[sam, 'Asked Globex for the remittance'], [kim, 'It came in'], [lee, 'Matched']] as const) {
      const res = await who.http.post(`/v1/tasks/${task.id}/comments`, { body });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ taskId: task.id, authorId: who.id, body, createdAt: expect.any(String) });
    }
    const first = await lee.http.get(`/v1/tasks/${task.id}/comments?limit=2`);
    expect(first.body.data.map((c: { body: string }) => c.body)).toEqual(['Asked Globex for the remittance', 'It came in']);
    const rest = await lee.http.get(`/v1/tasks/${task.id}/comments?limit=2&cursor=${first.body.nextCursor}`);
    expect(rest.body).toEqual({ data: [expect.objectContaining({ body: 'Matched' })], nextCursor: null });

    for (const [body, message] of [[{ body: '' }, /body must not be empty/], [{ body: '   ' }, /body must not be empty/],
      [{ body: 'x'.repeat(4001) }, /body must be at most 4000 characters/], [{}, /body must be a string/]] as const) {
      const res = await sam.http.post(`/v1/tasks/${task.id}/comments`, body);
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(message);
    }
    expect((await sam.http.post(`/v1/tasks/${task.id}/comments`, { body: 'y'.repeat(4000) })).status).toBe(201);
    const audited = (await auditOf(task.id)).filter((e) => e.type === 'task.commented');
    expect(audited).toHaveLength(4);
    expect(JSON.stringify(audited)).not.toMatch(/Globex|Matched|yyyy/);
  });

  it('never shows, claims, reassigns or comments another company\'s task', async () => {
    const other = await createTenant(http);
    const theirs = (await other.admin.post('/v1/tasks', { assigneeId: other.adminId, title: 'Secret chore' })).body;
    const attempts = [
      () => tenant.admin.post(`/v1/tasks/${theirs.id}/claim`), () => tenant.admin.post(`/v1/tasks/${theirs.id}/unclaim`),
      () => tenant.admin.post(`/v1/tasks/${theirs.id}/reassign`, { assigneeId: tenant.adminId }),
      () => tenant.admin.post(`/v1/tasks/${theirs.id}/comments`, { body: 'hello' }), () => tenant.admin.get(`/v1/tasks/${theirs.id}/comments`),
    ];
    for (const attempt of attempts) {
      const res = await attempt();
      expect({ status: res.status, message: res.body.message }).toEqual({ status: 404, message: `task ${theirs.id} not found` });
    }
    const theirGroup = await group(other, [other.adminId]);
    const res = await tenant.admin.post('/v1/tasks', { candidateGroupId: theirGroup, title: 'x' });
    expect({ status: res.status, message: res.body.message }).toEqual({ status: 404, message: `approver group ${theirGroup} not found` });
    expect((await tenant.admin.get(`/v1/tasks?candidateGroup=${theirGroup}`)).body.data).toEqual([]);
    expect(await sql('SELECT id FROM task_comments WHERE task_id = $1', [theirs.id])).toEqual([]);
    expect((await other.admin.get(`/v1/tasks/${theirs.id}`)).body).toMatchObject({ assigneeId: other.adminId, claimedBy: null });
    expect((await http.post(`/v1/tasks/${theirs.id}/claim`)).status).toBe(401);
  });

  it('refuses a task with neither assignee nor candidate group', async () => {
    const res = await tenant.admin.post('/v1/tasks', { title: 'Nobody\'s' });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/a task needs an assigneeId, a candidateGroupId or both/);
  });

  it('filters by holder, candidate group and due day in the company\'s zone, and sorts with a cursor that follows the sort', async () => {
    const t = await createTenant(http, { timezone: 'America/Toronto' });
    const ana = await createUser(t, 'standard', 'Ana');
    const team = await group(t, [ana.id]);
    const today = todayIn('America/Toronto', new Date());
    const make = async (fields: Record<string, unknown>) => {
      const res = await t.admin.post('/v1/tasks', { assigneeId: ana.id, title: 'x', ...fields });
      if (res.status !== 201) throw new Error(`creating a task failed: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body as TaskBody;
    };
    const late = await make({ dueDate: addDays(today, -2), followUpDate: addDays(today, 1) });
    const lateDone = await make({ dueDate: addDays(today, -2) });
    await t.admin.post(`/v1/tasks/${lateDone.id}/complete`);
    const now = await make({ dueDate: today });
    const tomorrow = await make({ dueAt: `${addDays(today, 1)}T16:00:00Z` });
    const inTwo = await make({ dueAt: `${addDays(today, 3)}T03:00:00Z` });
    const lastOfWeek = await make({ dueDate: addDays(today, 6) });
    const nextWeek = await make({ dueDate: addDays(today, 7) });
    const someday = await make({ assigneeId: undefined, candidateGroupId: team });
    expect(late).toMatchObject({ dueDate: addDays(today, -2), followUpDate: addDays(today, 1) });
    expect([tomorrow.dueDate, inTwo.dueDate]).toEqual([addDays(today, 1), addDays(today, 2)]);

    const ids = async (query: string) => ((await t.admin.get(`/v1/tasks?${query}`)).body.data as TaskBody[]).map((x) => x.id);
    expect(await ids('due=overdue')).toEqual([late.id]);
    expect(await ids('due=today')).toEqual([now.id]);
    expect(await ids('due=week&sort=dueDate')).toEqual([now.id, tomorrow.id, inTwo.id, lastOfWeek.id]);
    expect(await ids('assignee=unassigned')).toEqual([someday.id]);
    expect(await ids(`candidateGroup=${team}`)).toEqual([someday.id]);
    expect(await ids(`assignee=${ana.id}&due=overdue`)).toEqual([late.id]);

    const all = [late, lateDone, now, tomorrow, inTwo, lastOfWeek, nextWeek, someday];
    const byId = (a: TaskBody, b: TaskBody) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    const byDue = (dir: 1 | -1) => (a: TaskBody, b: TaskBody) => {
      if (a.dueDate === null || b.dueDate === null) return (a.dueDate === null ? 1 : 0) - (b.dueDate === null ? 1 : 0);
      return dir * (a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : byId(a, b));
    };
    const byCreated = (dir: 1 | -1) => (a: TaskBody, b: TaskBody) =>
      dir * (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : byId(a, b));
    const walk = async (sort: string) => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res: { status: number; body: { data: TaskBody[]; nextCursor: string | null } } =
          await t.admin.get(`/v1/tasks?sort=${sort}&limit=3${cursor ? `&cursor=${cursor}` : ''}`);
        expect(res.status).toBe(200);
        seen.push(...res.body.data.map((x) => x.id));
        cursor = res.body.nextCursor;
      } while (cursor);
      return seen;
    };
    expect(await walk('dueDate')).toEqual([...all].sort(byDue(1)).map((x) => x.id));
    expect(await walk('-dueDate')).toEqual([...all].sort(byDue(-1)).map((x) => x.id));
    expect(await walk('createdAt')).toEqual([...all].sort(byCreated(1)).map((x) => x.id));
    expect(await walk('-createdAt')).toEqual([...all].sort(byCreated(-1)).map((x) => x.id));

    const page = (await t.admin.get('/v1/tasks?sort=dueDate&limit=2')).body;
    const crossed = await t.admin.get(`/v1/tasks?sort=createdAt&limit=2&cursor=${page.nextCursor}`);
    expect(crossed.status).toBe(400);
    expect(crossed.body.message).toMatch(/cursor belongs to sort=dueDate, not sort=createdAt/);
    expect((await t.admin.get(`/v1/tasks?sort=-dueDate&limit=2&cursor=${page.nextCursor}`)).status).toBe(400);
  });

  it.each([
    ['/v1/tasks?sort=title', /sort must be one of dueDate, -dueDate, createdAt, -createdAt/],
    ['/v1/tasks?due=tomorrow', /due must be one of overdue, today, week/],
    ['/v1/tasks?candidateGroup=1', /candidateGroup must be an id/],
    ['/v1/tasks?assignee=nobody', /assignee must be "me" or a user id \(a UUID\), or "unassigned"/],
    ['/v1/tasks?sort=dueDate&cursor=bm9wZQ', /cursor is not valid/],
  ])('refuses a bad inbox query %s', async (path, message) => {
    const res = await sam.http.get(path);
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(message);
  });

  it('lets exactly one of two members claiming at once win, every time', async () => {
    for (let round = 0; round < 8; round++) {
      const task = await groupTask();
      const [a, b] = await Promise.all([sam.http.post(`/v1/tasks/${task.id}/claim`), kim.http.post(`/v1/tasks/${task.id}/claim`)]);
      expect([a.status, b.status].sort()).toEqual([200, 409]);
      const winner = a.status === 200 ? sam.id : kim.id;
      expect(await sql('SELECT claimed_by FROM tasks WHERE id = $1', [task.id])).toEqual([{ claimed_by: winner }]);
      expect((await auditOf(task.id)).map((e) => e.type)).toEqual(['task.claimed']);
    }
  });
});

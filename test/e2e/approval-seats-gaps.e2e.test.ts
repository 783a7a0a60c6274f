import { closeDb } from '../support/db';
import { submittedToGroupSteps } from '../support/group-approval';
import { Http } from '../support/http';
import { Stack } from '../support/stack';
import { until } from '../support/until';


/**
 * Seats read when a step opens (a group, limit routing), through the real API, worker, Temporal and Postgres: a
 * member who delegates after the submission hands their seat to the delegate, and the approval view shows who holds
 * the seats the run resolved.
 */
describe('approval seats from groups and limits: delegation and the view', () => {
  const stack = new Stack('approval-seats-gaps');
  let http: Http;

  beforeAll(async () => {
    await stack.start();
    http = new Http(stack.baseUrl);
  });
  afterAll(async () => {
    await closeDb();
    await stack.stop();
  });

  const submitted = (steps: unknown[], limits: Record<'gil' | 'hal', string | null> = { gil: null, hal: null }) =>
    submittedToGroupSteps(http, steps, limits);

  const ids = (people: { id: string }[]) => people.map((p) => p.id).sort();

  it('a group member who delegates after the submission: the delegate gets the seat\'s task and decides on their behalf', async () => {
    const s = await submitted([{ approverIds: [], groupIds: ['GROUP'] }]);
    await until(s.openTasks, (rows) => rows.length === 2, 'the members\' tasks');

    const delegation = await s.gil.http.put('/v1/users/me/delegation', {
      delegateId: s.dee.id, from: new Date(Date.now() - 60_000).toISOString(), until: new Date(Date.now() + 7 * 86_400_000).toISOString(),
    });
    expect(delegation.status).toBe(200);
    const tasks = await until(s.openTasks, (rows) => rows.some((r) => r.assigneeId === s.dee.id), 'the delegate\'s task');
    expect(tasks.map((r) => r.assigneeId).sort()).toEqual([s.dee.id, s.hal.id].sort());

    const approved = await s.dee.http.post(`/v1/invoices/${s.invoiceId}/approve`, { comment: 'for Gil' });
    expect(approved.status).toBe(200);
    expect(approved.body.status).toBe('approved');
    expect(approved.body.decisions).toEqual([
      expect.objectContaining({ decision: 'approved', by: expect.objectContaining({ id: s.dee.id }), onBehalfOf: expect.objectContaining({ id: s.gil.id }) }),
    ]);
  });

  it('the view of a group step lists the seats the run resolved (never the creator) and who may decide them, delegates included', async () => {
    const s = await submitted([{ approverIds: [], groupIds: ['GROUP'] }]);
    await until(s.openTasks, (rows) => rows.length === 2, 'the members\' tasks');
    const opened = await s.view();
    expect(ids(opened.steps[0].approvers)).toEqual([s.gil.id, s.hal.id].sort());
    expect(opened.steps[0].approvers.map((p) => p.name).sort()).toEqual(['Gil', 'Hal']);
    expect(ids(opened.approvers)).toEqual([s.gil.id, s.hal.id].sort());
    expect(opened.steps[0].eligible.map((e) => [e.id, e.onBehalfOf?.id ?? null]).sort()).toEqual([[s.gil.id, null], [s.hal.id, null]].sort());

    expect((await s.hal.http.put('/v1/users/me/delegation', {
      delegateId: s.dee.id, from: new Date(Date.now() - 60_000).toISOString(), until: new Date(Date.now() + 7 * 86_400_000).toISOString(),
    })).status).toBe(200);
    await until(s.openTasks, (rows) => rows.some((r) => r.assigneeId === s.dee.id), 'the delegate\'s task');
    const moved = await s.view();
    expect(ids(moved.steps[0].approvers)).toEqual([s.gil.id, s.hal.id].sort());
    expect(moved.steps[0].eligible.map((e) => [e.id, e.onBehalfOf?.id ?? null]).sort()).toEqual([[s.dee.id, s.hal.id], [s.gil.id, null]].sort());
  });

  it('the view of a step routed by limit: the seats whose limit covers the amount, then the escalated users', async () => {
    const s = await submitted([{ approverIds: [], groupIds: ['GROUP'], routing: 'limit', escalateAfterDays: 5, escalateToId: 'BOSS' }], { gil: '1000.00', hal: '5000.00' });
    await until(s.openTasks, (rows) => rows.length === 1, 'the covering member\'s task');
    const opened = await s.view();
    expect(ids(opened.steps[0].approvers)).toEqual([s.hal.id]);
    expect(ids(opened.steps[0].eligible)).toEqual([s.hal.id]);

    // Hal's limit lowered below the amount: the seat is lost and the step, short of its quorum, escalates to Bea.
    expect((await s.t.admin.patch(`/v1/users/${s.hal.id}`, { approvalLimit: '100.00' })).status).toBe(200);
    const escalated = await until(s.view, (v) => v.steps[0].escalated, 'the escalation');
    expect(ids(escalated.steps[0].approvers)).toEqual([s.boss.id]);
    expect(ids(escalated.steps[0].eligible)).toEqual([s.boss.id]);
  });
});

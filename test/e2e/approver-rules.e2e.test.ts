import { approvalCompany, type ApprovalCompany, createLargeInvoice, outcomeNotified, tasksOf } from '../support/approval';
import { closeDb } from '../support/db';
import { createTenant } from '../support/fixtures';
import { Http } from '../support/http';
import { waitForMails } from '../support/mail';
import { Stack } from '../support/stack';
import { until } from '../support/until';

const DAY = 86_400_000;

/**
 * The approver rules (quorum, no self-approval, delegation, the approval view) through the real API and worker, Postgres, the
 * Temporal dev server and the SMTP listener. Escalation's days are covered by the time-skipping workflow tests.
 */
describe('approver rules', () => {
  const stack = new Stack('approver-rules');
  let http: Http;

  beforeAll(async () => {
    await stack.start();
    http = new Http(stack.baseUrl);
  });
  afterAll(async () => {
    await closeDb();
    await stack.stop();
  });

  const submit = (c: ApprovalCompany, invoiceId: string, by = c.creator.http) => by.post(`/v1/invoices/${invoiceId}/submit-for-approval`);

  it('2-of-3 quorum: one approval leaves the step pending, the same approver again is a 409, a second approver approves', async () => {
    const c = await approvalCompany(http, (ids) => ({ type: 'approval', steps: [{ approverIds: [ids.approver, ids.watcher, ids.outsider], required: 2 }] }));
    const invoice = await createLargeInvoice(c);
    expect((await submit(c, invoice.id)).status).toBe(200);
    await until(() => tasksOf(c.outsider, 'open', invoice.id), (t) => t.length === 1, 'the third approver\'s task');

    const first = await c.approver.http.post(`/v1/invoices/${invoice.id}/approve`, { comment: 'fine by me' });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      status: 'pending_approval', currentStep: 1,
      steps: [{ step: 1, status: 'pending', required: 2, approvals: 1 }],
      decisions: [{ decision: 'approved', decidedBy: { id: c.approver.id }, onBehalfOf: null, via: 'api', closesStep: false }],
    });
    expect(first.body.steps[0].eligible.map((e: { id: string }) => e.id).sort()).toEqual([c.watcher.id, c.outsider.id].sort());
    expect(await tasksOf(c.approver, 'completed', invoice.id)).toHaveLength(1);
    expect(await tasksOf(c.outsider, 'open', invoice.id)).toHaveLength(1);

    const again = await c.approver.http.post(`/v1/invoices/${invoice.id}/approve`, {});
    expect(again.status).toBe(409);
    expect(again.body.message).toContain('already approved step 1');

    const second = await c.outsider.http.post(`/v1/invoices/${invoice.id}/approve`, {});
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ status: 'approved', steps: [{ status: 'approved', approvals: 2, eligible: [] }] });
    expect(second.body.decisions.map((d: { decision: string; closesStep: boolean }) => [d.decision, d.closesStep])).toEqual([['approved', false], ['approved', true]]);
    await outcomeNotified(invoice.id);
    expect(await tasksOf(c.watcher, 'open', invoice.id)).toEqual([]);
  });

  it('quorum counts people: a delegate who is also an approver approves once (409 the second time); submit counts them once', async () => {
    const c = await approvalCompany(http, (ids) => ({ type: 'approval', steps: [{ approverIds: [ids.approver, ids.watcher, ids.outsider], required: 2 }] }));
    expect((await c.watcher.http.put('/v1/users/me/delegation', {
      delegateId: c.approver.id, from: new Date(Date.now() - 60_000).toISOString(), until: new Date(Date.now() + 3 * DAY).toISOString(),
    })).status).toBe(200);
    const invoice = await createLargeInvoice(c);
    expect((await submit(c, invoice.id)).status).toBe(200);
    await until(() => tasksOf(c.outsider, 'open', invoice.id), (t) => t.length === 1, 'the third approver\'s task');

    expect((await c.approver.http.post(`/v1/invoices/${invoice.id}/approve`, { comment: 'mine' })).status).toBe(200);
    const forWes = await c.approver.http.post(`/v1/invoices/${invoice.id}/approve`, { comment: 'for Wes' });
    expect(forWes.status).toBe(409);
    expect(forWes.body.message).toContain('one person\'s approval counts once per step');
    const view = (await c.creator.http.get(`/v1/invoices/${invoice.id}/approval`)).body;
    expect(view).toMatchObject({ status: 'pending_approval', steps: [{ status: 'pending', required: 2, approvals: 1 }] });
    expect(view.steps[0].eligible).toEqual([{ id: c.outsider.id, name: 'Olive', onBehalfOf: null }]);
    expect((await c.outsider.http.post(`/v1/invoices/${invoice.id}/approve`, {})).body.status).toBe('approved');

    // Delegated past the deadline, Wes's seat is the approver's: two seats, one person, for a 2-of-2 step.
    const pair = await approvalCompany(http, (ids) => ({ type: 'approval', timeoutDays: 5, steps: [{ approverIds: [ids.approver, ids.watcher], required: 2 }] }));
    expect((await pair.watcher.http.put('/v1/users/me/delegation', {
      delegateId: pair.approver.id, from: new Date(Date.now() - 60_000).toISOString(), until: new Date(Date.now() + 10 * DAY).toISOString(),
    })).status).toBe(200);
    const short = await createLargeInvoice(pair);
    const refused = await submit(pair, short.id);
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/^step 1 of the approval workflow "Large invoices" needs 2 approval\(s\) but has only 1 distinct approver\(s\)/);
  });

  it('2-of-3 quorum: a rejection after one approval rejects', async () => {
    const c = await approvalCompany(http, (ids) => ({ type: 'approval', steps: [{ approverIds: [ids.approver, ids.watcher, ids.outsider], required: 2 }] }));
    const invoice = await createLargeInvoice(c);
    expect((await submit(c, invoice.id)).status).toBe(200);
    await until(() => tasksOf(c.outsider, 'open', invoice.id), (t) => t.length === 1, 'the task');
    expect((await c.approver.http.post(`/v1/invoices/${invoice.id}/approve`, {})).status).toBe(200);
    const rejected = await c.outsider.http.post(`/v1/invoices/${invoice.id}/reject`, { reason: 'not our customer' });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({ status: 'rejected', steps: [{ status: 'rejected', approvals: 1 }] });
  });

  it('no self-approval: the creator listed as approver gets 403; a step that cannot reach its quorum without them is a 409 at submit', async () => {
    const c = await approvalCompany(http, (ids) => ({ type: 'approval', approverIds: [ids.approver, ids.outsider] }));
    // The approver creates the invoice: they are listed, and its creator.
    const invoice = await createLargeInvoice(c, c.approver.http);
    expect((await submit(c, invoice.id, c.approver.http)).status).toBe(200);
    await until(() => tasksOf(c.outsider, 'open', invoice.id), (t) => t.length === 1, 'the other approver\'s task');
    expect(await tasksOf(c.approver, 'open', invoice.id)).toEqual([]);
    const own = await c.approver.http.post(`/v1/invoices/${invoice.id}/approve`, {});
    expect(own.status).toBe(403);
    expect(own.body.message).toBe(`you created invoice ${invoice.number} and may not decide it (no self-approval), even as an approver, admin or delegate`);
    expect((await c.outsider.http.post(`/v1/invoices/${invoice.id}/approve`, {})).body.status).toBe('approved');

    const quorum = await approvalCompany(http, (ids) => ({ type: 'approval', steps: [{ approverIds: [ids.outsider] }, { approverIds: [ids.approver, ids.watcher], required: 2 }] }));
    const mine = await createLargeInvoice(quorum, quorum.approver.http);
    const refused = await submit(quorum, mine.id, quorum.approver.http);
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/^step 2 of the approval workflow "Large invoices" needs 2 approval\(s\) but has only 1 distinct approver\(s\) besides the creator/);
    expect((await quorum.approver.http.get(`/v1/invoices/${mine.id}`)).body.approvalStatus).toBe('approval_required');

    // An escalation after the deadline never happens: its user does not count.
    const late = await approvalCompany(http, (ids) => ({
      type: 'approval', timeoutDays: 10, steps: [{ approverIds: [ids.approver, ids.watcher], required: 2, escalateAfterDays: 10, escalateToId: ids.outsider }],
    }));
    const lateOne = await createLargeInvoice(late, late.approver.http);
    const tooLate = await submit(late, lateOne.id, late.approver.http);
    expect(tooLate.status).toBe(409);
    expect(tooLate.body.message).toMatch(/^step 1 of the approval workflow "Large invoices" needs 2 approval\(s\) but has only 1 distinct approver\(s\) besides the creator/);
  });

  it('delegation: PUT/GET/DELETE, refused for oneself (409), in a cycle (409), to another company (404), bad dates (400)', async () => {
    const c = await approvalCompany(http);
    const other = await createTenant(http);
    const from = new Date(Date.now() - DAY).toISOString();
    const until_ = new Date(Date.now() + 5 * DAY).toISOString();
    expect((await c.approver.http.get('/v1/users/me/delegation')).status).toBe(404);
    expect((await c.approver.http.put('/v1/users/me/delegation', { delegateId: c.approver.id, from, until: until_ })).status).toBe(409);
    expect((await c.approver.http.put('/v1/users/me/delegation', { delegateId: other.adminId, from, until: until_ })).status).toBe(404);
    expect((await c.approver.http.put('/v1/users/me/delegation', { delegateId: c.watcher.id, from: until_, until: from })).status).toBe(400);
    expect((await c.approver.http.put('/v1/users/me/delegation', { delegateId: 'nobody', from, until: until_ })).status).toBe(400);

    const set = await c.approver.http.put('/v1/users/me/delegation', { delegateId: c.watcher.id, from, until: until_, note: 'holidays' });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ delegatorId: c.approver.id, delegateId: c.watcher.id, delegateName: 'Wes', note: 'holidays', active: true });
    expect((await c.approver.http.get('/v1/users/me/delegation')).body).toMatchObject({ delegateId: c.watcher.id, from, until: until_ });
    expect((await c.watcher.http.put('/v1/users/me/delegation', { delegateId: c.outsider.id, from, until: until_ })).status).toBe(200);
    const cycle = await c.outsider.http.put('/v1/users/me/delegation', { delegateId: c.approver.id, from, until: until_ });
    expect(cycle.status).toBe(409);
    expect(cycle.body.message).toContain('cycle');

    expect((await c.approver.http.delete('/v1/users/me/delegation')).status).toBe(204);
    expect((await c.approver.http.get('/v1/users/me/delegation')).status).toBe(404);
    expect((await c.approver.http.delete('/v1/users/me/delegation')).status).toBe(404);
  });

  it('delegation: two people delegating to each other at the same moment make no cycle: one is set, the other a 409', async () => {
    const c = await approvalCompany(http);
    const from = new Date(Date.now() - DAY).toISOString();
    const until_ = new Date(Date.now() + 5 * DAY).toISOString();
    for (let round = 0; round < 8; round += 1) {
      const [a, b] = await Promise.all([
        c.approver.http.put('/v1/users/me/delegation', { delegateId: c.watcher.id, from, until: until_ }),
        c.watcher.http.put('/v1/users/me/delegation', { delegateId: c.approver.id, from, until: until_ }),
      ]);
      expect([a.status, b.status].sort()).toEqual([200, 409]);
      const set = await Promise.all([c.approver, c.watcher].map(async (p) => (await p.http.get('/v1/users/me/delegation')).status));
      expect(set.sort()).toEqual([200, 404]);
      await Promise.all([c.approver, c.watcher].map((p) => p.http.delete('/v1/users/me/delegation')));
    }
  });

  it('delegation that starts while the step is pending moves the request to the delegate, who decides on behalf of the approver', async () => {
    const c = await approvalCompany(http);
    const invoice = await createLargeInvoice(c);
    expect((await submit(c, invoice.id)).status).toBe(200);
    await until(() => tasksOf(c.approver, 'open', invoice.id), (t) => t.length === 1, 'the approver\'s task');
    expect((await c.outsider.http.post(`/v1/invoices/${invoice.id}/approve`, {})).status).toBe(403);

    const put = await c.approver.http.put('/v1/users/me/delegation', {
      delegateId: c.outsider.id, from: new Date(Date.now() - 60_000).toISOString(), until: new Date(Date.now() + 3 * DAY).toISOString(),
    });
    expect(put.status).toBe(200);
    await until(() => tasksOf(c.outsider, 'open', invoice.id), (t) => t.length === 1, 'the delegate\'s task');
    expect(await tasksOf(c.approver, 'open', invoice.id)).toEqual([]);
    expect(await tasksOf(c.approver, 'cancelled', invoice.id)).toHaveLength(1);
    const mails = await waitForMails(c.outsider.email, 1);
    expect(mails[0].subject).toBe(`Approval requested: invoice ${invoice.number} on behalf of Avery`);

    const view = (await c.creator.http.get(`/v1/invoices/${invoice.id}/approval`)).body;
    expect(view.steps[0].eligible).toEqual([{ id: c.outsider.id, name: 'Olive', onBehalfOf: { id: c.approver.id, name: 'Avery' } }]);

    const approved = await c.outsider.http.post(`/v1/invoices/${invoice.id}/approve`, { comment: 'for Avery' });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({
      status: 'approved',
      decisions: [{ decision: 'approved', decidedBy: { id: c.outsider.id }, onBehalfOf: { id: c.approver.id, name: 'Avery' }, via: 'api', comment: 'for Avery' }],
    });
  });

  it('tasks by seat: a delegate who is also an approver keeps their own task when the delegation ends, and an approval closes only its seat\'s', async () => {
    const c = await approvalCompany(http, (ids) => ({ type: 'approval', steps: [{ approverIds: [ids.approver, ids.watcher, ids.outsider], required: 2 }] }));
    expect((await c.watcher.http.put('/v1/users/me/delegation', {
      delegateId: c.approver.id, from: new Date(Date.now() - 60_000).toISOString(), until: new Date(Date.now() + 3 * DAY).toISOString(),
    })).status).toBe(200);
    const undecided = await createLargeInvoice(c);
    const voted = await createLargeInvoice(c);
    for (const invoice of [undecided, voted]) {
      expect((await submit(c, invoice.id)).status).toBe(200);
      // Avery holds two seats, her own and Wes's: a task for each.
      await until(() => tasksOf(c.approver, 'open', invoice.id), (t) => t.length === 2, 'the approver\'s two tasks');
    }
    expect((await c.approver.http.post(`/v1/invoices/${voted.id}/approve`, {})).body.steps[0].approvals).toBe(1);
    await until(() => tasksOf(c.approver, 'completed', voted.id), (t) => t.length === 1, 'the approver\'s own task, completed');
    expect(await tasksOf(c.approver, 'open', voted.id)).toHaveLength(1);

    // Wes is back, neither step decided for him: his seat's task moves to him, Avery's own stays hers.
    expect((await c.watcher.http.delete('/v1/users/me/delegation')).status).toBe(204);
    for (const invoice of [undecided, voted]) {
      await until(() => tasksOf(c.watcher, 'open', invoice.id), (t) => t.length === 1, 'Wes\'s task');
      expect(await tasksOf(c.approver, 'cancelled', invoice.id)).toHaveLength(1);
    }
    expect(await tasksOf(c.approver, 'open', undecided.id)).toHaveLength(1);
    expect(await tasksOf(c.approver, 'open', voted.id)).toEqual([]);
    expect(await tasksOf(c.approver, 'completed', voted.id)).toHaveLength(1);
    expect((await c.watcher.http.post(`/v1/invoices/${voted.id}/approve`, {})).body.status).toBe('approved');
    expect((await c.approver.http.post(`/v1/invoices/${undecided.id}/approve`, {})).status).toBe(200);
    expect(await tasksOf(c.approver, 'open', undecided.id)).toEqual([]);
    expect(await tasksOf(c.watcher, 'open', undecided.id)).toHaveLength(1);
  });

  it('delegation ended while the step is still pending moves the request back to the approver', async () => {
    const c = await approvalCompany(http);
    expect((await c.approver.http.put('/v1/users/me/delegation', {
      delegateId: c.outsider.id, from: new Date(Date.now() - 60_000).toISOString(), until: new Date(Date.now() + 3 * DAY).toISOString(),
    })).status).toBe(200);
    const invoice = await createLargeInvoice(c);
    expect((await submit(c, invoice.id)).status).toBe(200);
    // Known at submission: the delegate is asked from the start, the approver not at all.
    await until(() => tasksOf(c.outsider, 'open', invoice.id), (t) => t.length === 1, 'the delegate\'s task');
    expect(await tasksOf(c.approver, 'open', invoice.id)).toEqual([]);

    expect((await c.approver.http.delete('/v1/users/me/delegation')).status).toBe(204);
    await until(() => tasksOf(c.approver, 'open', invoice.id), (t) => t.length === 1, 'the approver\'s task, back');
    expect(await tasksOf(c.outsider, 'open', invoice.id)).toEqual([]);
    expect((await c.outsider.http.post(`/v1/invoices/${invoice.id}/approve`, {})).status).toBe(403);
    expect((await c.approver.http.post(`/v1/invoices/${invoice.id}/approve`, {})).body.status).toBe('approved');
  });
});

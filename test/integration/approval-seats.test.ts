import { MockActivityEnvironment } from '@temporalio/testing';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { createApprovalActivities, createApprovalSeatActivities } from '../../src/activities/approval.activities';
import type { ResolvedApprovalSeats } from '../../src/contracts';
import type { Mailer } from '../../src/infra/mailer';
import { seedPendingApproval, type SeededApproval } from '../support/approval-seed';
import { approvalBackends } from '../support/approval-integration';

/** The seats of a step that names groups or routes by limit, read from the real Postgres, and a seat lost recorded there. */
describe(createApprovalSeatActivities.name, () => {
  let dataSource: DataSource;
  let smtp: Mailer;

  approvalBackends((b) => ({ dataSource, smtp } = b));

  const notice = (s: SeededApproval) => ({ approvalId: s.approvalId, companyId: s.companyId, invoiceId: s.invoiceId, invoiceNumber: 'INV-1' });
  const inWorkflow = (s: SeededApproval) => new MockActivityEnvironment({ workflowExecution: { workflowId: s.workflowId, runId: randomUUID() } });

  /** A company (creator, alice, bob, carol standard; dave and erin admins), one group of alice, bob, carol and the creator. */
  async function seed() {
    const s = await seedPendingApproval(dataSource, {
      label: 'Seats', approvers: [
        { name: 'alice', role: 'standard' }, { name: 'bob', role: 'standard' }, { name: 'carol', role: 'standard' },
        { name: 'dave', role: 'admin' }, { name: 'erin', role: 'admin' },
      ],
    });
    const [alice, bob, carol, dave, erin] = s.approvers.map((p) => p.id);
    const [{ id: groupId }] = await dataSource.query(`INSERT INTO approver_groups (company_id, name) VALUES ($1, 'Finance') RETURNING id`, [s.companyId]);
    for (const userId of [alice, bob, carol, s.creator.id]) {
      await dataSource.query('INSERT INTO approver_group_members (group_id, user_id, company_id) VALUES ($1, $2, $3)', [groupId, userId, s.companyId]);
    }
    return { s, groupId, alice, bob, carol, dave, erin };
  }
  const resolve = (s: SeededApproval, over: { approverIds?: string[]; groupIds: string[]; routing?: 'limit'; amount?: string }): Promise<ResolvedApprovalSeats> =>
    inWorkflow(s).run(createApprovalSeatActivities(dataSource).resolveApprovalSeats, {
      ...notice(s), step: 0, approverIds: over.approverIds ?? [], groupIds: over.groupIds, routing: over.routing, amount: over.amount ?? '1250.00',
      creatorId: s.creator.id,
    });

  it('a group\'s active members, named approvers first, never the creator; the company\'s active admins beside them', async () => {
    const { s, groupId, alice, bob, carol, dave, erin } = await seed();
    await dataSource.query(`UPDATE users SET status = 'inactive' WHERE id = $1`, [bob]);
    const seats = await resolve(s, { approverIds: [dave], groupIds: [groupId] });
    expect(seats.seatIds).toEqual([dave, ...[alice, carol].sort()]);
    expect(seats.adminIds).toEqual([dave, erin].sort());
  });

  it('limit routing: no limit or a limit that covers the amount, compared as decimals (4999.99 < 5000.00 <= 5000)', async () => {
    const { s, groupId, alice, bob, carol, dave } = await seed();
    await dataSource.query(`UPDATE users SET approval_limit = CASE id WHEN $1 THEN 4999.99 WHEN $2 THEN 5000 ELSE NULL END WHERE id IN ($1, $2)`, [alice, bob]);
    await dataSource.query(`UPDATE users SET approval_limit = 100 WHERE id = $1`, [dave]);
    const seats = await resolve(s, { approverIds: [dave], groupIds: [groupId], routing: 'limit', amount: '5000.00' });
    expect(seats.seatIds).toEqual([bob, carol].sort());
    const none = await resolve(s, { groupIds: [groupId], routing: 'limit', amount: '5000.01' });
    expect(none.seatIds).toEqual([carol]);
  });

  it('another company\'s group or user gives no seat', async () => {
    const { s, alice } = await seed();
    const other = await seed();
    const seats = await resolve(s, { approverIds: [other.alice], groupIds: [other.groupId] });
    expect(seats.seatIds).toEqual([]);
    expect(seats.seatIds).not.toContain(alice);
  });

  it('a seat lost: the trail\'s entry once, the seat\'s tasks cancelled, the holder\'s links superseded; other seats untouched', async () => {
    const { s, alice, bob } = await seed();
    const a = createApprovalActivities({ dataSource, mailer: smtp, publicUrl: 'http://relance.test' });
    const env = inWorkflow(s);
    const deadline = new Date(Date.now() + 5 * 86_400_000).toISOString();
    await env.run(a.openApprovalStep, {
      ...notice(s), first: true, step: 0, approverIds: [alice, bob], seats: [{ userId: alice, onBehalfOf: null }, { userId: bob, onBehalfOf: null }], deadline,
    });
    await env.run(a.notifyApprovalRequested, { ...notice(s), step: 0, stepCount: 1, userIds: [alice, bob], approverIds: [alice, bob], push: false, deadline });
    const lost = { ...notice(s), step: 0, decision: 'seat_lost' as const, userId: alice, comment: 'removed_from_group', decidedAt: new Date().toISOString(),
      onBehalfOf: null, via: null, closesStep: false, nextStep: null };
    await env.run(a.recordDecision, lost);
    await env.run(a.recordDecision, lost);

    expect(await dataSource.query('SELECT decision, user_id, comment, closes_step FROM approval_decisions WHERE approval_id = $1', [s.approvalId]))
      .toEqual([{ decision: 'seat_lost', user_id: alice, comment: 'removed_from_group', closes_step: false }]);
    expect(await dataSource.query('SELECT assignee_id, status FROM tasks WHERE approval_id = $1 ORDER BY status', [s.approvalId]))
      .toEqual([{ assignee_id: alice, status: 'cancelled' }, { assignee_id: bob, status: 'open' }]);
    const links = await dataSource.query('SELECT user_id, superseded_at IS NOT NULL AS superseded FROM approval_links WHERE approval_id = $1 ORDER BY superseded', [s.approvalId]);
    expect(links).toEqual([{ user_id: bob, superseded: false }, { user_id: alice, superseded: true }]);
  });

  it('escalation to several users at once: an entry, a task and an email each, with the reason', async () => {
    const { s, dave, erin } = await seed();
    const a = createApprovalActivities({ dataSource, mailer: smtp });
    const env = inWorkflow(s);
    const deadline = new Date(Date.now() + 5 * 86_400_000).toISOString();
    await env.run(a.markPending, { ...notice(s), deadline });
    const args = {
      ...notice(s), step: 0, stepCount: 1, escalateToId: dave, holderId: dave, seats: [{ escalateToId: dave, holderId: dave }, { escalateToId: erin, holderId: erin }],
      push: false, deadline, escalatedAt: new Date().toISOString(), reason: 'quorum_unreachable', level: 1,
    };
    await env.run(a.escalateApproval, args);
    await env.run(a.escalateApproval, args);
    expect(await dataSource.query('SELECT user_id, comment FROM approval_decisions WHERE approval_id = $1 ORDER BY user_id', [s.approvalId]))
      .toEqual([dave, erin].sort().map((id) => ({ user_id: id, comment: 'quorum_unreachable' })));
    expect(await dataSource.query(`SELECT assignee_id FROM tasks WHERE approval_id = $1 AND status = 'open' ORDER BY assignee_id`, [s.approvalId]))
      .toEqual([dave, erin].sort().map((id) => ({ assignee_id: id })));
  });

  it('nobody more to ask: one `escalated` entry without a user, however often retried', async () => {
    const { s } = await seed();
    const a = createApprovalActivities({ dataSource, mailer: smtp });
    const entry = { ...notice(s), step: 0, decision: 'escalated' as const, userId: null, comment: 'nobody_to_escalate', decidedAt: new Date().toISOString(),
      onBehalfOf: null, via: null, closesStep: false, nextStep: null };
    await inWorkflow(s).run(a.recordDecision, entry);
    await inWorkflow(s).run(a.recordDecision, entry);
    expect(await dataSource.query('SELECT decision, user_id, comment FROM approval_decisions WHERE approval_id = $1', [s.approvalId]))
      .toEqual([{ decision: 'escalated', user_id: null, comment: 'nobody_to_escalate' }]);
  });
});

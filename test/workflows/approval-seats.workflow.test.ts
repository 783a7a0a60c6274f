import type { WorkflowHandle } from '@temporalio/client';
import { composeApprovalActivities } from '../../src/activities/approval.activities';
import {
  approvalStateQuery,
  DecisionRefusal,
  type InvoiceApprovalInput,
  type ResolveApprovalSeatsInput,
  seatLostSignal,
} from '../../src/contracts';
import { approvalWorkflowEnv, recordingApprovalActivities, refusalType } from '../support/approval-workflow';

const DAY = 24 * 60 * 60_000;

const CREATOR = 'user-creator';
const ALICE = 'user-alice';
const BOB = 'user-bob';
const CAROL = 'user-carol';
const DAVE = 'user-dave';
const BOSS = 'user-boss';
const ADMIN1 = 'user-admin-1';
const ADMIN2 = 'user-admin-2';
const FINANCE = 'group-finance';

/**
 * The company as the database would hold it: groups' members and users' approval limits (decimal strings, null: none);
 * `resolveApprovalSeats` answers from it as the real activity does (named approvers, then members; covering limits under
 * `limit`; never the creator), so that a test changes it to remove a member or lower a limit.
 */
interface Directory {
  groups: Record<string, string[]>;
  limits: Record<string, string | null>;
  admins: string[];
}

function cents(amount: string): bigint {
  const [whole, frac = ''] = amount.split('.');
  return BigInt(whole) * 100n + BigInt((frac + '00').slice(0, 2));
}

function mockActivities(dir: Directory) {
  const recording = recordingApprovalActivities();
  const parts = recording.parts;
  const calls = { ...recording.calls, resolveApprovalSeats: [] as ResolveApprovalSeatsInput[] };
  async function resolveApprovalSeats(i: ResolveApprovalSeatsInput) {
    calls.resolveApprovalSeats.push(i);
    const people = [...new Set([...i.approverIds, ...i.groupIds.flatMap((g) => dir.groups[g] ?? [])])].filter((id) => id !== i.creatorId);
    const covers = (id: string) => i.routing !== 'limit' || dir.limits[id] === null || dir.limits[id] === undefined
      ? true : cents(dir.limits[id]!) >= cents(i.amount);
    return { seatIds: people.filter(covers), adminIds: dir.admins.filter((id) => id !== i.creatorId) };
  }
  return { activities: { ...parts, ...composeApprovalActivities(parts), resolveApprovalSeats }, calls };
}

let seq = 0;
function input(overrides: Partial<InvoiceApprovalInput> = {}): InvoiceApprovalInput {
  seq += 1;
  return {
    approvalId: `seats-approval-${seq}`,
    companyId: 'company-1',
    invoiceId: `seats-invoice-${seq}`,
    invoiceNumber: `INV-S${seq}`,
    document: { kind: 'invoice', id: `seats-invoice-${seq}`, number: `INV-S${seq}`, amount: '5000.00' },
    submission: 1,
    creatorId: CREATOR,
    steps: [{ approverIds: [], groupIds: [FINANCE] }],
    allowAdmins: false,
    notifyUserIds: [],
    push: false,
    reminderLead: 0,
    ...overrides,
  };
}

describe('invoiceApproval with seats read when a step opens (groups, approval limits, seats lost)', () => {
  const wf = approvalWorkflowEnv('approval-seats-test');
  const { run, reached, approve } = wf;

  const opened = (handle: WorkflowHandle) => reached(handle, (s) => s.status === 'pending' && (s.eligible ?? []).length > 0);

  it('a group step: a member approves; a non-member is refused; the creator, a member, holds no seat', async () => {
    const mocks = mockActivities({ groups: { [FINANCE]: [ALICE, BOB, CREATOR] }, limits: {}, admins: [] });
    const outcome = await run(mocks, input(), async (handle) => {
      const pending = await opened(handle);
      const byOutsider = await approve(handle, CAROL).catch(refusalType);
      const byCreator = await approve(handle, CREATOR).catch(refusalType);
      const decided = await approve(handle, BOB, 'member');
      return { pending, byOutsider, byCreator, decided, result: await handle.result() };
    });
    expect(mocks.calls.resolveApprovalSeats).toEqual([expect.objectContaining({ step: 0, groupIds: [FINANCE], creatorId: CREATOR })]);
    expect(outcome.pending.eligible).toEqual([{ userId: ALICE, onBehalfOf: null }, { userId: BOB, onBehalfOf: null }]);
    expect(mocks.calls.openApprovalTasks).toEqual([expect.objectContaining({ approverIds: [ALICE, BOB] })]);
    expect(outcome.byOutsider).toBe(DecisionRefusal.notAnApprover);
    expect(outcome.byCreator).toBe(DecisionRefusal.selfApproval);
    expect(outcome.decided.status).toBe('approved');
    expect(outcome.result.trail.map((t) => [t.decision, t.userId])).toEqual([['approved', BOB]]);
  });

  it('a group step with a quorum counts distinct members, named approvers beside them', async () => {
    const mocks = mockActivities({ groups: { [FINANCE]: [ALICE, BOB] }, limits: {}, admins: [] });
    const args = input({ steps: [{ approverIds: [CAROL], groupIds: [FINANCE], required: 2 }] });
    const outcome = await run(mocks, args, async (handle) => {
      const pending = await opened(handle);
      const first = await approve(handle, ALICE);
      const twice = await approve(handle, ALICE).catch(refusalType);
      const second = await approve(handle, CAROL);
      return { pending, first, twice, second, result: await handle.result() };
    });
    expect(outcome.pending.eligible?.map((e) => e.userId)).toEqual([CAROL, ALICE, BOB]);
    expect(outcome.first.status).toBe('pending');
    expect(outcome.twice).toBe(DecisionRefusal.alreadyApproved);
    expect(outcome.second.status).toBe('approved');
    expect(mocks.calls.escalateApproval).toEqual([]);
  });

  it('limit routing: only those whose limit covers the amount may decide', async () => {
    const mocks = mockActivities({ groups: { [FINANCE]: [ALICE, BOB, CAROL] }, limits: { [ALICE]: '1000.00', [BOB]: '5000.00', [CAROL]: null }, admins: [] });
    const args = input({ steps: [{ approverIds: [], groupIds: [FINANCE], routing: 'limit' }] });
    const outcome = await run(mocks, args, async (handle) => {
      const pending = await opened(handle);
      const byLowLimit = await approve(handle, ALICE).catch(refusalType);
      const decided = await approve(handle, BOB);
      return { pending, byLowLimit, decided, result: await handle.result() };
    });
    expect(mocks.calls.resolveApprovalSeats).toEqual([expect.objectContaining({ routing: 'limit', amount: '5000.00' })]);
    expect(outcome.pending.eligible?.map((e) => e.userId)).toEqual([BOB, CAROL]);
    expect(outcome.byLowLimit).toBe(DecisionRefusal.notAnApprover);
    expect(outcome.decided.status).toBe('approved');
  });

  it('limit routing: nobody covers the amount, the step escalates at once to its escalateToId', async () => {
    const mocks = mockActivities({ groups: { [FINANCE]: [ALICE, BOB] }, limits: { [ALICE]: '1000.00', [BOB]: '4999.99' }, admins: [ADMIN1] });
    const args = input({ steps: [{ approverIds: [], groupIds: [FINANCE], routing: 'limit', escalateToId: BOSS }] });
    const outcome = await run(mocks, args, async (handle) => {
      const pending = await opened(handle);
      const byMember = await approve(handle, BOB).catch(refusalType);
      const decided = await approve(handle, BOSS);
      return { pending, byMember, decided, result: await handle.result() };
    });
    expect(outcome.pending.eligible).toEqual([{ userId: BOSS, onBehalfOf: null }]);
    expect(mocks.calls.escalateApproval).toEqual([expect.objectContaining({
      step: 0, reason: 'quorum_unreachable', seats: [{ escalateToId: BOSS, holderId: BOSS }],
    })]);
    expect(outcome.byMember).toBe(DecisionRefusal.notAnApprover);
    expect(outcome.decided.status).toBe('approved');
    expect(outcome.result.trail.map((t) => [t.decision, t.userId, t.comment])).toEqual([
      ['escalated', BOSS, 'quorum_unreachable'], ['approved', BOSS, null],
    ]);
  });

  it('limit routing: nobody covers and no escalateToId, the company\'s admins (never the creator) are asked', async () => {
    const mocks = mockActivities({ groups: { [FINANCE]: [ALICE] }, limits: { [ALICE]: '10.00' }, admins: [ADMIN1, ADMIN2, CREATOR] });
    const args = input({ steps: [{ approverIds: [], groupIds: [FINANCE], routing: 'limit' }] });
    const outcome = await run(mocks, args, async (handle) => {
      const pending = await opened(handle);
      const decided = await approve(handle, ADMIN2);
      return { pending, decided, result: await handle.result() };
    });
    expect(outcome.pending.eligible?.map((e) => e.userId)).toEqual([ADMIN1, ADMIN2]);
    expect(mocks.calls.escalateApproval).toEqual([expect.objectContaining({
      seats: [{ escalateToId: ADMIN1, holderId: ADMIN1 }, { escalateToId: ADMIN2, holderId: ADMIN2 }],
    })]);
    expect(outcome.result.trail.map((t) => [t.decision, t.userId])).toEqual([['escalated', ADMIN1], ['escalated', ADMIN2], ['approved', ADMIN2]]);
  });

  it('nobody can decide even after escalating: the trail says so and the step waits for its deadline', async () => {
    const mocks = mockActivities({ groups: { [FINANCE]: [ALICE] }, limits: { [ALICE]: '10.00' }, admins: [CREATOR] });
    const args = input({ steps: [{ approverIds: [], groupIds: [FINANCE], routing: 'limit' }], timeout: '5 days' });
    const outcome = await run(mocks, args, async (handle) => {
      const waiting = await reached(handle, (s) => s.trail.length === 1);
      await wf.env.sleep(5 * DAY);
      return { waiting, decided: await reached(handle, (s) => s.status !== 'pending') };
    });
    expect(outcome.waiting.eligible).toEqual([]);
    expect(mocks.calls.escalateApproval).toEqual([]);
    expect(mocks.calls.recordDecision.map((c) => [c.decision, c.userId, c.comment, c.closesStep])).toEqual([
      ['escalated', null, 'nobody_to_escalate', false], ['timeout', null, null, true],
    ]);
    expect(outcome.decided.status).toBe('rejected');
  });

  it('a member removed while the step waits loses the seat; the quorum now unreachable, the step escalates', async () => {
    const dir: Directory = { groups: { [FINANCE]: [ALICE, BOB] }, limits: {}, admins: [] };
    const mocks = mockActivities(dir);
    const args = input({ steps: [{ approverIds: [], groupIds: [FINANCE], required: 2, escalateToId: BOSS }] });
    const outcome = await run(mocks, args, async (handle) => {
      await opened(handle);
      await approve(handle, ALICE);
      dir.groups[FINANCE] = [ALICE, DAVE];
      await handle.signal(seatLostSignal, { userId: BOB, reason: 'removed_from_group', groupId: FINANCE });
      const after = await reached(handle, (s) => (s.escalated ?? []).length === 1);
      const byBob = await approve(handle, BOB).catch(refusalType);
      const byNewMember = await approve(handle, DAVE).catch(refusalType);
      const decided = await approve(handle, BOSS);
      return { after, byBob, byNewMember, decided, result: await handle.result() };
    });
    expect(mocks.calls.resolveApprovalSeats).toHaveLength(2);
    expect(outcome.after.eligible).toEqual([{ userId: ALICE, onBehalfOf: null }, { userId: BOSS, onBehalfOf: null }]);
    expect(outcome.byBob).toBe(DecisionRefusal.notAnApprover);
    expect(outcome.byNewMember).toBe(DecisionRefusal.notAnApprover);
    expect(outcome.decided.status).toBe('approved');
    expect(mocks.calls.recordDecision.map((c) => [c.decision, c.userId, c.comment, c.closesStep])).toEqual([
      ['approved', ALICE, null, false], ['seat_lost', BOB, 'removed_from_group', false], ['approved', BOSS, null, true],
    ]);
    expect(outcome.result.trail.map((t) => [t.decision, t.userId])).toEqual([
      ['approved', ALICE], ['seat_lost', BOB], ['escalated', BOSS], ['approved', BOSS],
    ]);
  });

  it('a seat loss changes nothing for a member still resolved, one who approved, or a named approver', async () => {
    const dir: Directory = { groups: { [FINANCE]: [ALICE, BOB] }, limits: {}, admins: [] };
    const mocks = mockActivities(dir);
    const args = input({ steps: [{ approverIds: [CAROL], groupIds: [FINANCE], required: 3 }] });
    const outcome = await run(mocks, args, async (handle) => {
      await opened(handle);
      await approve(handle, ALICE);
      dir.groups[FINANCE] = [];
      await handle.signal(seatLostSignal, { userId: ALICE, reason: 'removed_from_group', groupId: FINANCE });
      await handle.signal(seatLostSignal, { userId: CAROL, reason: 'limit_lowered' });
      const still = await handle.query(approvalStateQuery);
      await approve(handle, CAROL);
      dir.groups[FINANCE] = [BOB];
      await handle.signal(seatLostSignal, { userId: BOB, reason: 'limit_lowered' });
      const decided = await approve(handle, BOB);
      return { still, decided, result: await handle.result() };
    });
    expect(mocks.calls.resolveApprovalSeats).toHaveLength(2);
    expect(outcome.still.eligible?.map((e) => e.userId)).toEqual([CAROL, ALICE, BOB]);
    expect(outcome.decided.status).toBe('approved');
    expect(mocks.calls.recordDecision.filter((c) => c.decision === 'seat_lost')).toEqual([]);
  });

  it('one person holding two seats (a member delegated to another) counts once: a 2-of-2 group step escalates', async () => {
    const mocks = mockActivities({ groups: { [FINANCE]: [ALICE, BOB] }, limits: {}, admins: [] });
    const now = await wf.env.currentTimeMs();
    const args = input({
      steps: [{ approverIds: [], groupIds: [FINANCE], required: 2, escalateToId: BOSS }],
      delegations: [{ delegatorId: ALICE, delegateId: BOB, from: new Date(now - DAY).toISOString(), until: new Date(now + 10 * DAY).toISOString() }],
    });
    const outcome = await run(mocks, args, async (handle) => {
      const pending = await reached(handle, (s) => (s.escalated ?? []).length > 0);
      await approve(handle, BOB);
      const decided = await approve(handle, BOSS);
      return { pending, decided, result: await handle.result() };
    });
    expect(outcome.pending.eligible).toEqual([
      { userId: BOB, onBehalfOf: ALICE }, { userId: BOB, onBehalfOf: null }, { userId: BOSS, onBehalfOf: null },
    ]);
    expect(mocks.calls.escalateApproval).toEqual([expect.objectContaining({ step: 0, reason: 'quorum_unreachable' })]);
    expect(outcome.decided.status).toBe('approved');
    expect(outcome.result.trail.map((t) => [t.decision, t.userId])).toEqual([['escalated', BOSS], ['approved', BOB], ['approved', BOSS]]);
  });

  it('a member\'s delegate holds the member\'s seat of a group step', async () => {
    const mocks = mockActivities({ groups: { [FINANCE]: [ALICE] }, limits: {}, admins: [] });
    const now = await wf.env.currentTimeMs();
    const args = input({
      delegations: [{ delegatorId: ALICE, delegateId: DAVE, from: new Date(now - DAY).toISOString(), until: new Date(now + 10 * DAY).toISOString() }],
    });
    const outcome = await run(mocks, args, async (handle) => {
      const pending = await opened(handle);
      const decided = await approve(handle, DAVE);
      return { pending, decided, result: await handle.result() };
    });
    expect(outcome.pending.eligible).toEqual([{ userId: DAVE, onBehalfOf: ALICE }]);
    expect(outcome.result.trail).toEqual([expect.objectContaining({ decision: 'approved', userId: DAVE, onBehalfOf: ALICE })]);
  });
});

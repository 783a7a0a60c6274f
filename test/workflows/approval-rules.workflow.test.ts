import { composeApprovalActivities } from '../../src/activities/approval.activities';
import {
  approvalStateQuery,
  approveSignal,
  decideUpdate,
  DecisionRefusal,
  delegationSignal,
  type InvoiceApprovalInput,
} from '../../src/contracts';
import { invoiceApproval } from '../../src/workflows/invoice-approval.workflow';
import { approvalWorkflowEnv, recordingApprovalActivities, refusalType } from '../support/approval-workflow';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

function mockActivities() {
  const { calls, parts } = recordingApprovalActivities();
  return { activities: { ...parts, ...composeApprovalActivities(parts) }, calls };
}

const CREATOR = 'user-creator';
const ALICE = 'user-alice';
const BOB = 'user-bob';
const CAROL = 'user-carol';
const DAVE = 'user-dave';
const BOSS = 'user-boss';

let seq = 0;
function input(overrides: Partial<InvoiceApprovalInput> = {}): InvoiceApprovalInput {
  seq += 1;
  return {
    approvalId: `rules-approval-${seq}`,
    companyId: 'company-1',
    invoiceId: `rules-invoice-${seq}`,
    invoiceNumber: `INV-R${seq}`,
    submission: 1,
    creatorId: CREATOR,
    steps: [{ approverIds: [ALICE, BOB, CAROL], required: 2 }],
    allowAdmins: false,
    notifyUserIds: [],
    push: false,
    reminderLead: 0,
    ...overrides,
  };
}

describe('invoiceApproval under the approver rules (quorum, no self-approval, escalation, delegation)', () => {
  const wf = approvalWorkflowEnv('approval-rules-test');
  const { run, reached, pendingOn, approve } = wf;

  it('2-of-3 quorum: one approval is not enough, a second distinct approver approves the step', async () => {
    const mocks = mockActivities();
    const outcome = await run(mocks, input(), async (handle) => {
      await pendingOn(handle, 0);
      const afterOne = await approve(handle, ALICE, 'first');
      const twice = await approve(handle, ALICE).catch(refusalType);
      const afterTwo = await approve(handle, CAROL);
      return { afterOne, twice, afterTwo, result: await handle.result() };
    });

    expect(outcome.afterOne).toMatchObject({ status: 'pending', approvedBy: [ALICE] });
    expect(outcome.twice).toBe(DecisionRefusal.alreadyApproved);
    expect(outcome.afterTwo.status).toBe('approved');
    expect(outcome.result.trail.map((t) => [t.decision, t.userId, t.closesStep])).toEqual([['approved', ALICE, false], ['approved', CAROL, true]]);
    expect(mocks.calls.recordDecision.map((c) => [c.userId, c.closesStep, c.nextStep])).toEqual([[ALICE, false, null], [CAROL, true, null]]);
    expect(mocks.calls.completeApproval).toEqual([expect.objectContaining({ outcome: 'approved', decidedBy: CAROL })]);
  });

  it('quorum counts people: a delegate who is also an approver approves once, not for their own seat and the delegator\'s', async () => {
    const mocks = mockActivities();
    const now = await wf.env.currentTimeMs();
    const args = input({
      steps: [{ approverIds: [ALICE, BOB, CAROL], required: 2 }],
      delegations: [{ delegatorId: BOB, delegateId: ALICE, from: new Date(now - DAY).toISOString(), until: new Date(now + 10 * DAY).toISOString() }],
    });
    const outcome = await run(mocks, args, async (handle) => {
      const pending = await pendingOn(handle, 0);
      await approve(handle, ALICE, 'mine');
      const forBob = await approve(handle, ALICE, 'for Bob').catch(refusalType);
      await handle.signal(approveSignal, { userId: ALICE, isAdmin: false, comment: 'for Bob, by signal' });
      const ignored = await reached(handle, (s) => s.ignored.length === 1);
      const afterCarol = await approve(handle, CAROL);
      return { pending, forBob, ignored, afterCarol, result: await handle.result() };
    });

    expect(outcome.pending.eligible).toEqual([{ userId: ALICE, onBehalfOf: null }, { userId: ALICE, onBehalfOf: BOB }, { userId: CAROL, onBehalfOf: null }]);
    expect(outcome.forBob).toBe(DecisionRefusal.alreadyApproved);
    expect(outcome.ignored).toMatchObject({ status: 'pending', approvedBy: [ALICE], ignored: [expect.objectContaining({ userId: ALICE, why: 'already_approved' })] });
    expect(outcome.afterCarol.status).toBe('approved');
    expect(outcome.result.trail.map((t) => [t.decision, t.userId, t.onBehalfOf, t.closesStep])).toEqual([['approved', ALICE, null, false], ['approved', CAROL, null, true]]);
    expect(mocks.calls.recordDecision.map((c) => [c.userId, c.closesStep])).toEqual([[ALICE, false], [CAROL, true]]);
    expect(mocks.calls.completeApproval).toEqual([expect.objectContaining({ outcome: 'approved', decidedBy: CAROL })]);
  });

  it('2-of-3 quorum: a rejection after one approval rejects the invoice', async () => {
    const mocks = mockActivities();
    const result = await run(mocks, input(), async (handle) => {
      await pendingOn(handle, 0);
      await approve(handle, BOB);
      await handle.executeUpdate(decideUpdate, { args: [{ decision: 'reject', userId: CAROL, isAdmin: false, reason: 'wrong customer' }] });
      return handle.result();
    });
    expect(result.status).toBe('rejected');
    expect(result.trail.map((t) => [t.decision, t.userId])).toEqual([['approved', BOB], ['rejected', CAROL]]);
    expect(mocks.calls.completeApproval).toEqual([expect.objectContaining({ outcome: 'rejected', decidedBy: CAROL, comment: 'wrong customer' })]);
  });

  it('the creator never decides: listed as approver or admin, the Update is refused and the signal ignored', async () => {
    const mocks = mockActivities();
    const args = input({ steps: [{ approverIds: [CREATOR, ALICE] }], allowAdmins: true });
    const outcome = await run(mocks, args, async (handle) => {
      const pending = await pendingOn(handle, 0);
      const asApprover = await handle.executeUpdate(decideUpdate, { args: [{ decision: 'approve', userId: CREATOR, isAdmin: false }] }).catch(refusalType);
      const asAdmin = await handle.executeUpdate(decideUpdate, { args: [{ decision: 'approve', userId: CREATOR, isAdmin: true }] }).catch(refusalType);
      await handle.signal(approveSignal, { userId: CREATOR, isAdmin: true });
      const ignored = await reached(handle, (s) => s.ignored.length === 1);
      await approve(handle, ALICE);
      return { pending, asApprover, asAdmin, ignored, result: await handle.result() };
    });

    expect(outcome.pending.eligible).toEqual([{ userId: ALICE, onBehalfOf: null }]);
    expect(mocks.calls.openApprovalTasks).toEqual([expect.objectContaining({ approverIds: [ALICE] })]);
    expect(outcome.asApprover).toBe(DecisionRefusal.selfApproval);
    expect(outcome.asAdmin).toBe(DecisionRefusal.selfApproval);
    expect(outcome.ignored.ignored).toEqual([expect.objectContaining({ userId: CREATOR, why: 'self_approval' })]);
    expect(outcome.result.trail).toEqual([expect.objectContaining({ decision: 'approved', userId: ALICE })]);
  });

  it('a seat delegated to the creator stays with its delegator, who decides; the creator is still refused', async () => {
    const mocks = mockActivities();
    const now = await wf.env.currentTimeMs();
    const args = input({
      steps: [{ approverIds: [ALICE, BOB], required: 2 }],
      delegations: [{ delegatorId: ALICE, delegateId: CREATOR, from: new Date(now - DAY).toISOString(), until: new Date(now + 10 * DAY).toISOString() }],
    });
    const outcome = await run(mocks, args, async (handle) => {
      const pending = await pendingOn(handle, 0);
      const byCreator = await approve(handle, CREATOR).catch(refusalType);
      await approve(handle, ALICE);
      await approve(handle, BOB);
      return { pending, byCreator, result: await handle.result() };
    });
    expect(outcome.pending.eligible).toEqual([{ userId: ALICE, onBehalfOf: null }, { userId: BOB, onBehalfOf: null }]);
    expect(mocks.calls.openApprovalTasks).toEqual([expect.objectContaining({ approverIds: [ALICE, BOB] })]);
    expect(outcome.byCreator).toBe(DecisionRefusal.selfApproval);
    expect(outcome.result.status).toBe('approved');
    expect(outcome.result.trail.map((t) => [t.decision, t.userId, t.onBehalfOf])).toEqual([['approved', ALICE, null], ['approved', BOB, null]]);
  });

  it('an escalation user who delegated to the creator is asked themselves, and decides', async () => {
    const mocks = mockActivities();
    const now = await wf.env.currentTimeMs();
    const args = input({
      steps: [{ approverIds: [ALICE], escalateAfterDays: 2, escalateToId: BOSS }],
      delegations: [{ delegatorId: BOSS, delegateId: CREATOR, from: new Date(now - DAY).toISOString(), until: new Date(now + 10 * DAY).toISOString() }],
    });
    const outcome = await run(mocks, args, async (handle) => {
      await pendingOn(handle, 0);
      await wf.env.sleep(2 * DAY + MINUTE);
      const escalated = await reached(handle, (s) => (s.escalated ?? []).length === 1);
      await approve(handle, BOSS);
      return { escalated, result: await handle.result() };
    });
    expect(mocks.calls.escalateApproval).toEqual([expect.objectContaining({ escalateToId: BOSS, holderId: BOSS })]);
    expect(outcome.escalated.eligible).toEqual([{ userId: ALICE, onBehalfOf: null }, { userId: BOSS, onBehalfOf: null }]);
    expect(outcome.result.trail.map((t) => [t.decision, t.userId, t.onBehalfOf])).toEqual([['escalated', BOSS, null], ['approved', BOSS, null]]);
  });

  it('escalates exactly escalateAfterDays after the step opened, not a minute before', async () => {
    const mocks = mockActivities();
    const args = input({ steps: [{ approverIds: [ALICE], escalateAfterDays: 3, escalateToId: BOSS }] });
    const outcome = await run(mocks, args, async (handle) => {
      await pendingOn(handle, 0);
      const opened = (await handle.describe()).startTime.getTime();
      await wf.env.sleep(opened + 3 * DAY - MINUTE - (await wf.env.currentTimeMs()));
      const before = { escalations: mocks.calls.escalateApproval.length, state: await handle.query(approvalStateQuery) };
      await wf.env.sleep(2 * MINUTE);
      const after = await reached(handle, (s) => (s.escalated ?? []).length === 1);
      const decided = await approve(handle, BOSS, 'signed off for Alice');
      return { opened, before, after, decided, result: await handle.result() };
    });

    expect(outcome.before.escalations).toBe(0);
    expect(outcome.before.state.eligible).toEqual([{ userId: ALICE, onBehalfOf: null }]);
    expect(mocks.calls.escalateApproval).toEqual([expect.objectContaining({ step: 0, escalateToId: BOSS, holderId: BOSS })]);
    const at = Date.parse(mocks.calls.escalateApproval[0].escalatedAt);
    expect(at).toBeGreaterThanOrEqual(outcome.opened + 3 * DAY);
    expect(at).toBeLessThan(outcome.opened + 3 * DAY + MINUTE);
    expect(outcome.after.eligible).toEqual([{ userId: ALICE, onBehalfOf: null }, { userId: BOSS, onBehalfOf: null }]);
    expect(outcome.decided.status).toBe('approved');
    expect(outcome.result.trail.map((t) => [t.decision, t.userId])).toEqual([['escalated', BOSS], ['approved', BOSS]]);
  });

  it('a decision before escalateAfterDays cancels the escalation', async () => {
    const mocks = mockActivities();
    const args = input({ steps: [{ approverIds: [ALICE], escalateAfterDays: 3, escalateToId: BOSS }, { approverIds: [BOB] }] });
    const result = await run(mocks, args, async (handle) => {
      await pendingOn(handle, 0);
      await wf.env.sleep(2 * DAY);
      await approve(handle, ALICE);
      await pendingOn(handle, 1);
      await wf.env.sleep(5 * DAY);
      const state = await handle.query(approvalStateQuery);
      await approve(handle, BOB);
      return { state, result: await handle.result() };
    });
    expect(mocks.calls.escalateApproval).toEqual([]);
    expect(result.state.eligible).toEqual([{ userId: BOB, onBehalfOf: null }]);
    expect(result.result.trail.map((t) => t.decision)).toEqual(['approved', 'approved']);
  });

  it('a delegation that starts while the step is pending moves the request, and back when it ends undecided', async () => {
    const mocks = mockActivities();
    const args = input({ steps: [{ approverIds: [ALICE, BOB], required: 2 }], timeout: '20 days' });
    const outcome = await run(mocks, args, async (handle) => {
      await pendingOn(handle, 0);
      const now = await wf.env.currentTimeMs();
      const from = new Date(now + 1 * DAY).toISOString();
      const until = new Date(now + 4 * DAY).toISOString();
      await handle.signal(delegationSignal, { delegatorId: ALICE, delegation: { delegateId: DAVE, from, until } });
      await wf.env.sleep(1 * DAY + MINUTE);
      const during = await reached(handle, (s) => (s.eligible ?? []).some((e) => e.userId === DAVE));
      const byDelegate = await approve(handle, DAVE, 'for Alice');
      await wf.env.sleep(3 * DAY);
      // Alice's seat is taken: nothing to move back for it. Bob's delegation starts and ends undecided.
      await handle.signal(delegationSignal, {
        delegatorId: BOB, delegation: { delegateId: CAROL, from: new Date(now + 5 * DAY).toISOString(), until: new Date(now + 6 * DAY).toISOString() },
      });
      await wf.env.sleep(2 * DAY + MINUTE);
      const back = await reached(handle, (s) => s.eligible?.some((e) => e.userId === BOB) === true && mocks.calls.moveApprovalRequests.length === 3);
      await approve(handle, BOB);
      return { during, byDelegate, back, result: await handle.result() };
    });

    expect(outcome.during.eligible).toEqual([{ userId: DAVE, onBehalfOf: ALICE }, { userId: BOB, onBehalfOf: null }]);
    expect(outcome.byDelegate).toMatchObject({ status: 'pending', approvedBy: [ALICE] });
    expect(mocks.calls.moveApprovalRequests.map((c) => c.moves)).toEqual([
      [{ seatId: ALICE, fromId: ALICE, toId: DAVE }],
      [{ seatId: BOB, fromId: BOB, toId: CAROL }],
      [{ seatId: BOB, fromId: CAROL, toId: BOB }],
    ]);
    expect(mocks.calls.moveApprovalRequests.map((c) => c.move)).toEqual([1, 2, 3]);
    expect(outcome.result.status).toBe('approved');
    expect(outcome.result.trail.map((t) => [t.decision, t.userId, t.onBehalfOf])).toEqual([['approved', DAVE, ALICE], ['approved', BOB, null]]);
  });

  it('a delegation known at submission sends the request to the delegate, not the delegator', async () => {
    const mocks = mockActivities();
    // The test server's clock, which earlier tests moved on.
    const now = await wf.env.currentTimeMs();
    const args = input({
      steps: [{ approverIds: [ALICE] }],
      delegations: [{ delegatorId: ALICE, delegateId: DAVE, from: new Date(now - DAY).toISOString(), until: new Date(now + 10 * DAY).toISOString() }],
    });
    const outcome = await run(mocks, args, async (handle) => {
      await pendingOn(handle, 0);
      const refused = await approve(handle, BOB).catch(refusalType);
      await approve(handle, DAVE);
      return { refused, result: await handle.result() };
    });
    expect(mocks.calls.openApprovalTasks).toEqual([expect.objectContaining({ approverIds: [DAVE] })]);
    expect(mocks.calls.notifyApprovalRequested).toEqual([expect.objectContaining({ userIds: [DAVE] })]);
    expect(outcome.refused).toBe(DecisionRefusal.notAnApprover);
    expect(outcome.result.trail).toEqual([expect.objectContaining({ decision: 'approved', userId: DAVE, onBehalfOf: ALICE, via: 'api' })]);
  });

  it('counts a decision that arrives with the start (delivered as soon as its handler is set)', async () => {
    const mocks = mockActivities();
    const args = input({ steps: [{ approverIds: [ALICE] }] });
    const result = await wf.withWorker(args.approvalId, mocks.activities, async (taskQueue) => {
      const handle = await wf.env.client.workflow.signalWithStart(invoiceApproval, {
        taskQueue, workflowId: `invoice-approval-${args.invoiceId}-${args.submission}`, args: [args],
        signal: approveSignal, signalArgs: [{ userId: ALICE, isAdmin: false, comment: 'with the start' }],
      });
      return handle.result();
    });
    expect(result.status).toBe('approved');
    expect(result.trail).toEqual([expect.objectContaining({ decision: 'approved', userId: ALICE, comment: 'with the start' })]);
  });
});

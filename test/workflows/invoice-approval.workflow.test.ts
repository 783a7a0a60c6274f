import { WorkflowUpdateStage, type WorkflowHandle } from '@temporalio/client';
import { composeApprovalActivities } from '../../src/activities/approval.activities';
import {
  type Activities,
  approvalStateQuery,
  approveSignal,
  cancelSignal,
  decideUpdate,
  DecisionRefusal,
  type InvoiceApprovalInput,
  rejectSignal,
  searchAttributes,
} from '../../src/contracts';
import { invoiceApproval } from '../../src/workflows/invoice-approval.workflow';
import { approvalWorkflowEnv, refusalType } from '../support/approval-workflow';
import { until } from '../support/until';

type ApprovalActivities = Pick<Activities,
  'markPending' | 'openApprovalTasks' | 'notifyApprovalRequested' | 'recordDecision' | 'remindApprovers' | 'completeApproval' |
  'notifyApprovalOutcome' | 'cancelApproval'>;
type CallLog = { [K in keyof ApprovalActivities]: Parameters<ApprovalActivities[K]>[0][] };

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;


/**
 * Records every call; `completeApproval` can be held back to observe what arrives while a decision is settling, and
 * the outcome's notices (or the next step's request) to observe what the decision answers before they go out.
 */
function mockActivities(options: { completeApplies?: boolean } = {}) {
  const calls: CallLog = {
    markPending: [], openApprovalTasks: [], notifyApprovalRequested: [], recordDecision: [], remindApprovers: [],
    completeApproval: [], notifyApprovalOutcome: [], cancelApproval: [],
  };
  let release: () => void = () => undefined;
  let held: Promise<void> = Promise.resolve();
  let releaseNotices: () => void = () => undefined;
  let noticesHeld: Promise<void> = Promise.resolve();
  const granular: ApprovalActivities = {
    async markPending(i) { calls.markPending.push(i); },
    async openApprovalTasks(i) { calls.openApprovalTasks.push(i); return { opened: i.approverIds.length }; },
    async notifyApprovalRequested(i) {
      calls.notifyApprovalRequested.push(i);
      if (i.step > 0) await noticesHeld;
      return { notified: i.userIds.length };
    },
    async recordDecision(i) { calls.recordDecision.push(i); },
    async remindApprovers(i) { calls.remindApprovers.push(i); return { reminded: i.approverIds.length }; },
    async completeApproval(i) {
      calls.completeApproval.push(i);
      await held;
      return { applied: options.completeApplies ?? true };
    },
    async notifyApprovalOutcome(i) {
      calls.notifyApprovalOutcome.push(i);
      await noticesHeld;
      return { notified: i.notifyUserIds.length + 1 };
    },
    async cancelApproval(i) { calls.cancelApproval.push(i); },
  };
  // The composites the workflow calls are the real ones, over the recording parts.
  const activities = { ...granular, ...composeApprovalActivities(granular) };
  return {
    activities,
    calls,
    holdCompletion() { held = new Promise((resolve) => { release = resolve; }); },
    releaseCompletion() { release(); },
    holdNotices() { noticesHeld = new Promise((resolve) => { releaseNotices = resolve; }); },
    releaseNotices() { releaseNotices(); },
  };
}

const CREATOR = 'user-creator';
const ALICE = 'user-alice';
const BOB = 'user-bob';
const CAROL = 'user-carol';
const STRANGER = 'user-stranger';
const WATCHER = 'user-watcher';

let seq = 0;
function input(overrides: Partial<InvoiceApprovalInput> = {}): InvoiceApprovalInput {
  seq += 1;
  return {
    approvalId: `approval-${seq}`,
    companyId: 'company-1',
    invoiceId: `invoice-${seq}`,
    invoiceNumber: `INV-${seq}`,
    submission: 1,
    creatorId: CREATOR,
    steps: [{ approverIds: [ALICE, BOB] }],
    allowAdmins: false,
    notifyUserIds: [WATCHER],
    push: true,
    ...overrides,
  };
}

/** Polls a query (no clock involved) until the workflow reaches the expected point. */
const reached = <T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> =>
  until(read, done, 'the expected state of the workflow', { attempts: 200, intervalMs: 25 });

/**
 * Fails when what the workflow should answer at once waits for something held. Within 5 s: a workflow task that waits
 * for its local activities still answers, with whatever it has, after 80 % of its 10 s timeout.
 */
function answeredWithin<T>(ms: number, what: string, answer: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms); });
  return Promise.race([answer, late]).finally(() => clearTimeout(timer));
}

describe(invoiceApproval.name, () => {
  const wf = approvalWorkflowEnv('invoice-approval-test');
  const { run } = wf;

  const pendingOn = (handle: WorkflowHandle, step: number) =>
    reached(() => handle.query(approvalStateQuery), (s) => s.status === 'pending' && s.currentStep === step);

  it('opens tasks, notifies, and is approved by one approver signal', async () => {
    const mocks = mockActivities();
    const args = input();
    const { result, approvalStatus } = await run(mocks, args, async (handle) => {
      await pendingOn(handle, 0);
      await handle.signal(approveSignal, { userId: BOB, isAdmin: false, comment: 'looks right' });
      const result = await handle.result();
      const description = await handle.describe();
      return { result, approvalStatus: description.typedSearchAttributes.get(searchAttributes.approvalStatus) };
    });

    expect(result.status).toBe('approved');
    expect(result.trail).toEqual([expect.objectContaining({ step: 0, decision: 'approved', userId: BOB, comment: 'looks right' })]);
    expect(approvalStatus).toBe('approved');
    expect(mocks.calls.markPending).toHaveLength(1);
    expect(mocks.calls.openApprovalTasks).toEqual([expect.objectContaining({ step: 0, approverIds: [ALICE, BOB] })]);
    expect(mocks.calls.notifyApprovalRequested).toEqual([expect.objectContaining({ step: 0, userIds: [ALICE, BOB, WATCHER], push: true })]);
    expect(mocks.calls.recordDecision).toEqual([expect.objectContaining({ step: 0, decision: 'approved', userId: BOB, nextStep: null })]);
    expect(mocks.calls.completeApproval).toEqual([expect.objectContaining({ outcome: 'approved', decidedBy: BOB, creatorId: CREATOR })]);
    expect(mocks.calls.remindApprovers).toHaveLength(0);
  });

  it('is rejected by an approver signal, keeping the reason in the trail', async () => {
    const mocks = mockActivities();
    const result = await run(mocks, input(), async (handle) => {
      await pendingOn(handle, 0);
      await handle.signal(rejectSignal, { userId: ALICE, isAdmin: false, reason: 'wrong customer' });
      return handle.result();
    });

    expect(result.status).toBe('rejected');
    expect(result.trail).toEqual([expect.objectContaining({ decision: 'rejected', userId: ALICE, comment: 'wrong customer' })]);
    expect(mocks.calls.completeApproval).toEqual([expect.objectContaining({ outcome: 'rejected', decision: 'rejected', comment: 'wrong customer' })]);
  });

  it('rejects with decision timeout exactly at the configured deadline, not a minute before', async () => {
    const mocks = mockActivities();
    const args = input({ timeout: '10 days', reminderLead: 0 });
    const { before, result, deadline } = await run(mocks, args, async (handle) => {
      const pending = await pendingOn(handle, 0);
      const deadlineMs = Date.parse(pending.deadline);
      await wf.env.sleep(deadlineMs - MINUTE - (await wf.env.currentTimeMs()));
      const before = { state: await handle.query(approvalStateQuery), completions: mocks.calls.completeApproval.length };
      const result = await handle.result();
      return { before, result, deadline: deadlineMs };
    });

    expect(before.state.status).toBe('pending');
    expect(before.completions).toBe(0);
    expect(result.status).toBe('rejected');
    expect(result.trail).toEqual([expect.objectContaining({ step: 0, decision: 'timeout', userId: null })]);
    expect(Date.parse(result.trail[0].decidedAt)).toBeGreaterThanOrEqual(deadline);
    expect(Date.parse(result.trail[0].decidedAt)).toBeLessThan(deadline + MINUTE);
    expect(mocks.calls.completeApproval).toEqual([expect.objectContaining({ outcome: 'rejected', decision: 'timeout', decidedBy: null })]);
  });

  it('refuses a decision that arrives while the timeout is being recorded', async () => {
    const mocks = mockActivities();
    mocks.holdCompletion();
    const outcome = await run(mocks, input({ timeout: '2 days', reminderLead: 0 }), async (handle) => {
      const pending = await pendingOn(handle, 0);
      await wf.env.sleep(Date.parse(pending.deadline) - (await wf.env.currentTimeMs()) + 1000);
      await reached(() => handle.query(approvalStateQuery), (s) => s.trail.length === 1);
      const late = await handle.executeUpdate(decideUpdate, { args: [{ decision: 'approve', userId: ALICE, isAdmin: false }] }).catch(refusalType);
      mocks.releaseCompletion();
      return { late, result: await handle.result() };
    });
    expect(outcome.late).toBe(DecisionRefusal.notPending);
    expect(outcome.result.status).toBe('rejected');
    expect(outcome.result.trail).toEqual([expect.objectContaining({ decision: 'timeout' })]);
  });

  it('computes the default deadline as 30 days from the start', async () => {
    const mocks = mockActivities();
    const result = await run(mocks, input(), async (handle) => {
      const started = (await handle.describe()).startTime.getTime();
      const pending = await pendingOn(handle, 0);
      await handle.signal(approveSignal, { userId: ALICE, isAdmin: false });
      await handle.result();
      return { started, deadline: Date.parse(pending.deadline) };
    });
    expect(result.deadline - result.started).toBe(30 * DAY);
  });

  it('reminds the pending step approvers once, at the lead time before the deadline', async () => {
    const mocks = mockActivities();
    const args = input({ timeout: '10 days', reminderLead: '1 day' });
    const outcome = await run(mocks, args, async (handle) => {
      const pending = await pendingOn(handle, 0);
      const reminderAt = Date.parse(pending.deadline) - DAY;
      await wf.env.sleep(reminderAt - MINUTE - (await wf.env.currentTimeMs()));
      const remindersBefore = mocks.calls.remindApprovers.length;
      await wf.env.sleep(2 * MINUTE);
      const after = await reached(() => handle.query(approvalStateQuery), (s) => s.reminded);
      await handle.signal(approveSignal, { userId: ALICE, isAdmin: false });
      return { remindersBefore, after, result: await handle.result() };
    });

    expect(outcome.remindersBefore).toBe(0);
    expect(outcome.after.status).toBe('pending');
    expect(mocks.calls.remindApprovers).toEqual([expect.objectContaining({ step: 0, approverIds: [ALICE, BOB], push: true })]);
    expect(outcome.result.status).toBe('approved');
  });

  it('walks sequential steps, each decided by one of its own approvers', async () => {
    const mocks = mockActivities();
    const args = input({ steps: [{ approverIds: [ALICE] }, { approverIds: [BOB, CAROL] }] });
    const outcome = await run(mocks, args, async (handle) => {
      await pendingOn(handle, 0);
      await handle.signal(approveSignal, { userId: BOB, isAdmin: false });
      await handle.signal(approveSignal, { userId: ALICE, isAdmin: false, comment: 'step one ok' });
      const second = await pendingOn(handle, 1);
      await handle.signal(approveSignal, { userId: CAROL, isAdmin: false });
      return { second, result: await handle.result() };
    });

    expect(outcome.second.ignored).toEqual([expect.objectContaining({ userId: BOB, why: 'not_an_approver' })]);
    expect(outcome.result.status).toBe('approved');
    expect(outcome.result.trail.map((t) => [t.step, t.decision, t.userId])).toEqual([[0, 'approved', ALICE], [1, 'approved', CAROL]]);
    expect(mocks.calls.openApprovalTasks.map((c) => [c.step, c.approverIds])).toEqual([[0, [ALICE]], [1, [BOB, CAROL]]]);
    expect(mocks.calls.notifyApprovalRequested.map((c) => [c.step, c.userIds])).toEqual([[0, [ALICE, WATCHER]], [1, [BOB, CAROL]]]);
    expect(mocks.calls.recordDecision.map((c) => c.nextStep)).toEqual([1, null]);
    expect(mocks.calls.completeApproval).toHaveLength(1);
  });

  it('refuses a decision bound to a step once the run is at the next one (an email link of step 1 never decides step 2)', async () => {
    const mocks = mockActivities();
    const args = input({ steps: [{ approverIds: [ALICE] }, { approverIds: [ALICE, BOB] }] });
    const outcome = await run(mocks, args, async (handle) => {
      await pendingOn(handle, 0);
      await handle.executeUpdate(decideUpdate, { args: [{ decision: 'approve', userId: ALICE, isAdmin: false, via: 'email', step: 0 }] });
      await pendingOn(handle, 1);
      // The same link posted again (its page was shown while step 1 was pending): bound to step 1, refused.
      const stale = await handle.executeUpdate(decideUpdate, { args: [{ decision: 'approve', userId: ALICE, isAdmin: false, via: 'email', step: 0 }] })
        .catch(refusalType);
      const state = await handle.query(approvalStateQuery);
      const current = await handle.executeUpdate(decideUpdate, { args: [{ decision: 'approve', userId: BOB, isAdmin: false, via: 'email', step: 1 }] });
      return { stale, state, current, result: await handle.result() };
    });

    expect(outcome.stale).toBe(DecisionRefusal.staleStep);
    expect(outcome.state).toMatchObject({ status: 'pending', currentStep: 1, approvedBy: [] });
    expect(outcome.result.status).toBe('approved');
    expect(outcome.result.trail.map((t) => [t.step, t.decision, t.userId])).toEqual([[0, 'approved', ALICE], [1, 'approved', BOB]]);
  });

  it('rejects the whole approval when a later step is rejected', async () => {
    const mocks = mockActivities();
    const args = input({ steps: [{ approverIds: [ALICE] }, { approverIds: [BOB] }] });
    const result = await run(mocks, args, async (handle) => {
      await pendingOn(handle, 0);
      await handle.signal(approveSignal, { userId: ALICE, isAdmin: false });
      await pendingOn(handle, 1);
      await handle.signal(rejectSignal, { userId: BOB, isAdmin: false, reason: 'too high' });
      return handle.result();
    });
    expect(result.status).toBe('rejected');
    expect(result.trail.map((t) => t.decision)).toEqual(['approved', 'rejected']);
    expect(mocks.calls.completeApproval).toEqual([expect.objectContaining({ outcome: 'rejected', decidedBy: BOB })]);
  });

  it('applies a decision once: duplicate and conflicting signals while it settles are ignored', async () => {
    const mocks = mockActivities();
    mocks.holdCompletion();
    const outcome = await run(mocks, input(), async (handle) => {
      await pendingOn(handle, 0);
      await handle.signal(approveSignal, { userId: ALICE, isAdmin: false });
      await handle.signal(approveSignal, { userId: ALICE, isAdmin: false });
      await handle.signal(rejectSignal, { userId: BOB, isAdmin: false, reason: 'late' });
      const settling = await reached(() => handle.query(approvalStateQuery), (s) => s.ignored.length === 2);
      mocks.releaseCompletion();
      return { settling, result: await handle.result() };
    });

    expect(outcome.settling.ignored.map((i) => [i.userId, i.decision, i.why])).toEqual([
      [ALICE, 'approve', 'not_pending'], [BOB, 'reject', 'not_pending'],
    ]);
    expect(outcome.result.status).toBe('approved');
    expect(outcome.result.trail).toHaveLength(1);
    expect(mocks.calls.recordDecision).toHaveLength(1);
    expect(mocks.calls.completeApproval).toHaveLength(1);
  });

  it('shrugs off a signal that arrives after the run ended', async () => {
    const mocks = mockActivities();
    const outcome = await run(mocks, input(), async (handle) => {
      await pendingOn(handle, 0);
      await handle.signal(approveSignal, { userId: ALICE, isAdmin: false });
      const result = await handle.result();
      const late = await handle.signal(rejectSignal, { userId: BOB, isAdmin: false, reason: 'too late' }).then(() => 'delivered', () => 'refused');
      return { result, late, after: await handle.result() };
    });
    expect(outcome.late).toBe('refused');
    expect(outcome.after).toEqual(outcome.result);
    expect(mocks.calls.completeApproval).toHaveLength(1);
  });

  it('ignores a decision signal from someone who is not an approver, and admins unless the definition allows them', async () => {
    const mocks = mockActivities();
    const outcome = await run(mocks, input(), async (handle) => {
      await pendingOn(handle, 0);
      await handle.signal(rejectSignal, { userId: STRANGER, isAdmin: false, reason: 'no' });
      await handle.signal(approveSignal, { userId: 'user-admin', isAdmin: true });
      const state = await reached(() => handle.query(approvalStateQuery), (s) => s.ignored.length === 2);
      await handle.signal(approveSignal, { userId: ALICE, isAdmin: false });
      return { state, result: await handle.result() };
    });
    expect(outcome.state.status).toBe('pending');
    expect(outcome.state.ignored.map((i) => [i.userId, i.why])).toEqual([[STRANGER, 'not_an_approver'], ['user-admin', 'not_an_approver']]);
    expect(mocks.calls.recordDecision).toHaveLength(1);
    expect(outcome.result.trail).toEqual([expect.objectContaining({ userId: ALICE })]);
  });

  it('lets an admin decide when the definition allows admins', async () => {
    const mocks = mockActivities();
    const result = await run(mocks, input({ allowAdmins: true }), async (handle) => {
      await pendingOn(handle, 0);
      await handle.signal(approveSignal, { userId: 'user-admin', isAdmin: true });
      return handle.result();
    });
    expect(result.trail).toEqual([expect.objectContaining({ decision: 'approved', userId: 'user-admin' })]);
  });

  it('answers a decide Update with the settled state, after the outcome is recorded', async () => {
    const mocks = mockActivities();
    const outcome = await run(mocks, input(), async (handle) => {
      await pendingOn(handle, 0);
      const state = await handle.executeUpdate(decideUpdate, { args: [{ decision: 'approve', userId: ALICE, isAdmin: false, comment: 'ok' }] });
      const completionsWhenAnswered = mocks.calls.completeApproval.length;
      return { state, completionsWhenAnswered, result: await handle.result() };
    });
    expect(outcome.state.status).toBe('approved');
    expect(outcome.state.trail).toEqual([expect.objectContaining({ decision: 'approved', userId: ALICE, comment: 'ok' })]);
    expect(outcome.completionsWhenAnswered).toBe(1);
    expect(outcome.result.status).toBe('approved');
  });

  it('answers a decide Update once the outcome is recorded, before its notices go out', async () => {
    const mocks = mockActivities();
    mocks.holdNotices();
    const outcome = await run(mocks, input(), async (handle) => {
      await pendingOn(handle, 0);
      const state = await answeredWithin(5_000, 'the decide Update, its notices held,',
        handle.executeUpdate(decideUpdate, { args: [{ decision: 'reject', userId: BOB, isAdmin: false, reason: 'wrong PO' }] }));
      const whenAnswered = { completions: mocks.calls.completeApproval.length };
      const described = await handle.describe();
      mocks.releaseNotices();
      return { state, whenAnswered, runningWhenAnswered: described.status.name, result: await handle.result() };
    });
    expect(outcome.state.status).toBe('rejected');
    expect(outcome.whenAnswered.completions).toBe(1);
    expect(outcome.runningWhenAnswered).toBe('RUNNING');
    expect(outcome.result.status).toBe('rejected');
    expect(mocks.calls.notifyApprovalOutcome).toEqual([expect.objectContaining({ outcome: 'rejected', decidedBy: BOB, comment: 'wrong PO', creatorId: CREATOR })]);
  });

  it('answers the approval of a step before the next step\'s request goes out', async () => {
    const mocks = mockActivities();
    mocks.holdNotices();
    const args = input({ steps: [{ approverIds: [ALICE] }, { approverIds: [BOB] }] });
    const outcome = await run(mocks, args, async (handle) => {
      await pendingOn(handle, 0);
      const state = await answeredWithin(5_000, 'the decide Update, the next request held,',
        handle.executeUpdate(decideUpdate, { args: [{ decision: 'approve', userId: ALICE, isAdmin: false }] }));
      mocks.releaseNotices();
      await pendingOn(handle, 1);
      await handle.signal(approveSignal, { userId: BOB, isAdmin: false });
      return { state, result: await handle.result() };
    });
    expect(outcome.state).toMatchObject({ status: 'pending', currentStep: 1 });
    expect(mocks.calls.recordDecision.map((c) => c.nextStep)).toEqual([1, null]);
    expect(mocks.calls.notifyApprovalRequested.map((c) => c.step)).toEqual([0, 1]);
    expect(outcome.result.status).toBe('approved');
  });

  it('tells nobody of an outcome the database did not apply (the invoice was edited first)', async () => {
    const mocks = mockActivities({ completeApplies: false });
    const result = await run(mocks, input(), async (handle) => {
      await pendingOn(handle, 0);
      const state = await handle.executeUpdate(decideUpdate, { args: [{ decision: 'approve', userId: ALICE, isAdmin: false }] });
      return { state, result: await handle.result() };
    });
    expect(result.state.status).toBe('cancelled');
    expect(result.result.status).toBe('cancelled');
    expect(mocks.calls.notifyApprovalOutcome).toHaveLength(0);
  });

  it('refuses decide Updates through its validator: not an approver, reason missing, not pending', async () => {
    const mocks = mockActivities();
    mocks.holdCompletion();
    const outcome = await run(mocks, input(), async (handle) => {
      await pendingOn(handle, 0);
      const stranger = await handle.executeUpdate(decideUpdate, { args: [{ decision: 'approve', userId: STRANGER, isAdmin: false }] })
        .catch(refusalType);
      const noReason = await handle.executeUpdate(decideUpdate, { args: [{ decision: 'reject', userId: ALICE, isAdmin: false, reason: '  ' }] })
        .catch(refusalType);
      const first = await handle.startUpdate(decideUpdate, {
        args: [{ decision: 'reject', userId: ALICE, isAdmin: false, reason: 'duplicate invoice' }],
        waitForStage: WorkflowUpdateStage.ACCEPTED,
      });
      const second = await handle.executeUpdate(decideUpdate, { args: [{ decision: 'approve', userId: BOB, isAdmin: false }] })
        .catch(refusalType);
      const stateBeforeRelease = await handle.query(approvalStateQuery);
      mocks.releaseCompletion();
      return { stranger, noReason, second, stateBeforeRelease, first: await first.result(), result: await handle.result() };
    });

    expect(outcome.stranger).toBe(DecisionRefusal.notAnApprover);
    expect(outcome.noReason).toBe(DecisionRefusal.reasonRequired);
    expect(outcome.second).toBe(DecisionRefusal.notPending);
    expect(outcome.stateBeforeRelease.ignored).toEqual([]);
    expect(outcome.first.status).toBe('rejected');
    expect(outcome.result.trail).toEqual([expect.objectContaining({ decision: 'rejected', userId: ALICE, comment: 'duplicate invoice' })]);
  });

  it('ends on cancel without deciding: tasks and notifications are left to cancelApproval', async () => {
    const mocks = mockActivities();
    const outcome = await run(mocks, input(), async (handle) => {
      await pendingOn(handle, 0);
      await handle.signal(cancelSignal, { userId: CREATOR, reason: 'invoice edited' });
      const result = await handle.result();
      const description = await handle.describe();
      return { result, approvalStatus: description.typedSearchAttributes.get(searchAttributes.approvalStatus) };
    });
    expect(outcome.result.status).toBe('cancelled');
    expect(outcome.approvalStatus).toBe('cancelled');
    expect(mocks.calls.cancelApproval).toEqual([expect.objectContaining({ step: 0, decision: 'cancelled', userId: CREATOR, comment: 'invoice edited' })]);
    expect(mocks.calls.recordDecision).toHaveLength(0);
    expect(mocks.calls.completeApproval).toHaveLength(0);
  });

  it('ends cancelled when the database says the approval was cancelled before the decision landed', async () => {
    const mocks = mockActivities({ completeApplies: false });
    const result = await run(mocks, input(), async (handle) => {
      await pendingOn(handle, 0);
      await handle.signal(approveSignal, { userId: ALICE, isAdmin: false });
      return handle.result();
    });
    expect(result.status).toBe('cancelled');
  });
});

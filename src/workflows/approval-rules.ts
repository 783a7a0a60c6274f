import { type Context as TraceContext, context as traceContext } from '@opentelemetry/api';
import { ApplicationFailure } from '@temporalio/common';
import { msToNumber } from '@temporalio/common/lib/time';
import {
  allHandlersFinished,
  condition,
  log,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import {
  type ApprovalActivities,
  type ApprovalDelegation,
  type ApprovalSeatActivities,
  type ApprovalRunStatus,
  type ApprovalState,
  type ApprovalTrailEntry,
  approvalStateQuery,
  approveSignal,
  type CancelInput,
  cancelSignal,
  type DecideInput,
  decideUpdate,
  delegationSignal,
  DecisionRefusal,
  DEFAULT_APPROVAL_TIMEOUT,
  DEFAULT_APPROVER_REMINDER_LEAD,
  delegatedToCreator,
  documentName,
  documentOf,
  eligibleFor,
  holderOf,
  type IgnoredDecision,
  type InvoiceApprovalInput,
  type InvoiceApprovalOutput,
  NOBODY_TO_ESCALATE,
  QUORUM_UNREACHABLE,
  rejectSignal,
  resolvesSeats,
  searchAttributes,
  type SeatLoss,
  seatLostSignal,
} from '../contracts';

const { openApprovalStep, settleDecision, recordDecision, remindApprovers, cancelApproval, escalateApproval, moveApprovalRequests } =
  proxyLocalActivities<ApprovalActivities>({
    startToCloseTimeout: '30 seconds',
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
  });

const { resolveApprovalSeats } = proxyLocalActivities<ApprovalSeatActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

const notices = proxyActivities<ApprovalActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

const DAY_MS = 86_400_000;
const MAX_IGNORED_KEPT = 20;

function searchStatus(status: ApprovalRunStatus): string {
  return status === 'pending' ? 'pending_approval' : status;
}

/** Delegations in force at `atMs`, delegator → delegate. */
export function delegationsAt(known: Map<string, ApprovalDelegation>, atMs: number): Map<string, string> {
  const active = new Map<string, string>();
  for (const d of known.values()) {
    if (Date.parse(d.from) <= atMs && atMs < Date.parse(d.until)) active.set(d.delegatorId, d.delegateId);
  }
  return active;
}

/** The next moment after `nowMs` at which a known delegation starts or ends; undefined when none will. */
function nextDelegationBoundary(known: Map<string, ApprovalDelegation>, nowMs: number): number | undefined {
  let next: number | undefined;
  for (const d of known.values()) {
    for (const at of [Date.parse(d.from), Date.parse(d.until)]) {
      if (at > nowMs && (next === undefined || at < next)) next = at;
    }
  }
  return next;
}

/**
 * One submission under the approver rules. Each step opens tasks and asks the people who hold its seats now (the
 * approvers, or their delegates), then waits: approvals are counted per seat until the step's quorum, one rejection
 * rejects, the escalation user joins after `escalateAfterDays`, delegations starting or ending move the pending
 * requests, the reminder goes out before the deadline, and the deadline rejects. The creator never decides.
 */
export async function approvalWithRules(input: InvoiceApprovalInput): Promise<InvoiceApprovalOutput> {
  const timeoutMs = msToNumber(input.timeout ?? DEFAULT_APPROVAL_TIMEOUT);
  const reminderLeadMs = msToNumber(input.reminderLead ?? DEFAULT_APPROVER_REMINDER_LEAD);
  const deadlineMs = workflowInfo().startTime.getTime() + timeoutMs;
  const deadline = new Date(deadlineMs).toISOString();
  const document = documentOf(input);
  const named = documentName(document);

  const known = new Map<string, ApprovalDelegation>((input.delegations ?? []).map((d) => [d.delegatorId, d]));
  let active = delegationsAt(known, Date.now());
  // A seat delegated to the invoice's creator stays with its delegator (who may still decide).
  const keepsSeat = (seats: string[], delegations: Map<string, string>) => delegatedToCreator(seats, input.creatorId, delegations);
  const holdersOf = (seats: string[], delegations: Map<string, string>) =>
    eligibleFor(seats, input.creatorId, delegations, keepsSeat(seats, delegations));
  let delegationsChanged = false;
  let moves = 0;

  const state: ApprovalState = {
    approvalId: input.approvalId,
    definitionVersion: input.definitionVersion ?? null,
    status: 'pending',
    currentStep: 0,
    steps: input.steps,
    deadline,
    reminded: false,
    trail: [],
    ignored: [],
    // Set before the handlers: a decision that arrived with the start is dispatched as soon as its handler is. A step
    // whose seats are read when it opens has none before.
    eligible: resolvesSeats(input.steps[0]) ? [] : holdersOf(input.steps[0].approverIds, active),
    approvedBy: [],
    escalated: [],
    delegated: Object.fromEntries(active),
  };
  const required = (step: number) => Math.max(1, input.steps[step].required ?? 1);
  /** The seats of the pending step read when it opened (groups, limits), less those lost since; undefined: named ones. */
  let resolved: string[] | undefined;
  let seatLosses: SeatLoss[] = [];
  const seatsOf = (step: number) => [...new Set([...(resolved ?? input.steps[step].approverIds), ...(state.escalated ?? [])])];

  /** The decision that closes the current step (rejection, quorum reached), waiting for the main loop to record it. */
  let closing: ApprovalTrailEntry | undefined;
  /** Approvals short of the quorum, waiting for the main loop to record them. */
  let votes: ApprovalTrailEntry[] = [];
  let cancelRequest: CancelInput | undefined;
  let decisionsAccepted = 0;
  let decisionsSettled = 0;
  // The trace context of the Update or signal that brought each decision, so that the activities recording it join the
  // approver's trace (the main loop runs them, in the run's own context otherwise). Without tracing, the root context.
  const causes = new WeakMap<ApprovalTrailEntry, TraceContext>();
  const inCauseOf = <T>(entry: ApprovalTrailEntry, work: () => Promise<T>): Promise<T> =>
    traceContext.with(causes.get(entry) ?? traceContext.active(), work);

  /** Who approved the current step so far (recorded or waiting to be), whichever seat each approved for. */
  const approvingPeople = () => new Set([
    ...state.trail.filter((t) => t.step === state.currentStep && t.decision === 'approved').map((t) => t.userId),
    ...votes.map((v) => v.userId),
  ]);

  /**
   * The seat `d` decides for, or why it may not decide: a decision bound to a step (an email link's) once another step
   * is pending, the creator, someone holding no seat, a person who approved the step already (the quorum counts people).
   */
  const seatFor = (d: DecideInput):
    { seat: string; onBehalfOf: string | null } | { type: string; why: IgnoredDecision['why']; message: string } => {
    if (state.status !== 'pending' || closing || cancelRequest) {
      return { type: DecisionRefusal.notPending, why: 'not_pending', message: `${named} is not pending approval (approval is ${state.status})` };
    }
    const stepText = `step ${state.currentStep + 1} of ${named}`;
    if (d.step !== undefined && d.step !== state.currentStep) {
      return {
        type: DecisionRefusal.staleStep, why: 'stale_step',
        message: `the decision was for step ${d.step + 1} of ${named}, which is no longer pending (${stepText} is)`,
      };
    }
    if (d.userId === input.creatorId) {
      return {
        type: DecisionRefusal.selfApproval, why: 'self_approval',
        message: `user ${d.userId} created ${named} and may not decide it (no self-approval), even as an approver, admin or delegate`,
      };
    }
    const approved = new Set(state.approvedBy);
    const held = (state.eligible ?? []).filter((e) => e.userId === d.userId);
    const adminSeat = input.allowAdmins && d.isAdmin ? [{ userId: d.userId, onBehalfOf: null }] : [];
    const seats = [...held, ...adminSeat];
    if (seats.length === 0) {
      return { type: DecisionRefusal.notAnApprover, why: 'not_an_approver', message: `user ${d.userId} is not an approver of ${stepText}` };
    }
    if (d.decision === 'approve' && approvingPeople().has(d.userId)) {
      return {
        type: DecisionRefusal.alreadyApproved, why: 'already_approved',
        message: `user ${d.userId} already approved ${stepText}; one person's approval counts once per step, also for a seat held as a delegate, ` +
          `and it needs ${required(state.currentStep)} distinct approvers`,
      };
    }
    const open = seats.find((e) => !approved.has(e.onBehalfOf ?? e.userId));
    if (!open) {
      return { type: DecisionRefusal.alreadyApproved, why: 'already_approved', message: `user ${d.userId} already approved ${stepText}; it needs ${required(state.currentStep)} distinct approvers` };
    }
    return { seat: open.onBehalfOf ?? open.userId, onBehalfOf: open.onBehalfOf };
  };

  const accept = (d: DecideInput): boolean => {
    const found = seatFor(d);
    if ('type' in found) {
      log.warn('approval decision ignored', { approvalId: input.approvalId, userId: d.userId, decision: d.decision, reason: found.type });
      state.ignored = [...state.ignored, { userId: d.userId, decision: d.decision, why: found.why, at: new Date().toISOString() }].slice(-MAX_IGNORED_KEPT);
      return false;
    }
    const text = d.decision === 'approve' ? d.comment : (d.reason ?? d.comment);
    const entry: ApprovalTrailEntry = {
      step: state.currentStep,
      decision: d.decision === 'approve' ? 'approved' : 'rejected',
      userId: d.userId,
      comment: text?.trim() ? text.trim() : null,
      decidedAt: new Date().toISOString(),
      onBehalfOf: found.onBehalfOf,
      via: d.via ?? 'api',
    };
    decisionsAccepted += 1;
    if (entry.decision === 'approved') state.approvedBy = [...(state.approvedBy ?? []), found.seat];
    if (entry.decision === 'rejected' || (state.approvedBy ?? []).length >= required(state.currentStep)) {
      closing = { ...entry, closesStep: true };
      causes.set(closing, traceContext.active());
    } else {
      const vote = { ...entry, closesStep: false };
      causes.set(vote, traceContext.active());
      votes = [...votes, vote];
    }
    return true;
  };

  setHandler(approveSignal, (d) => void accept({ ...d, decision: 'approve' }));
  setHandler(rejectSignal, (d) => void accept({ ...d, decision: 'reject' }));
  setHandler(cancelSignal, (c) => {
    if (state.status === 'pending' && !cancelRequest) cancelRequest = c ?? {};
  });
  setHandler(seatLostSignal, (loss) => {
    // Kept also while the step's seats are being read: the change may have committed after the read.
    if (state.status === 'pending') seatLosses = [...seatLosses, loss];
  });
  setHandler(delegationSignal, (change) => {
    if (change.delegation) known.set(change.delegatorId, { delegatorId: change.delegatorId, ...change.delegation });
    else known.delete(change.delegatorId);
    delegationsChanged = true;
  });
  setHandler(approvalStateQuery, () => state);
  setHandler(
    decideUpdate,
    async (d) => {
      const refused = seatFor(d);
      if ('type' in refused) throw ApplicationFailure.create({ type: refused.type, message: refused.message, nonRetryable: true });
      accept(d);
      const mine = decisionsAccepted;
      await condition(() => decisionsSettled >= mine);
      return state;
    },
    {
      validator: (d) => {
        if (d.decision === 'reject' && !d.reason?.trim()) {
          throw ApplicationFailure.create({ type: DecisionRefusal.reasonRequired, message: 'a rejection needs a reason', nonRetryable: true });
        }
        const refused = seatFor(d);
        if ('type' in refused) throw ApplicationFailure.create({ type: refused.type, message: refused.message, nonRetryable: true });
      },
    },
  );

  const setStatus = (status: ApprovalRunStatus) => {
    state.status = status;
    upsertSearchAttributes([{ key: searchAttributes.approvalStatus, value: searchStatus(status) }]);
  };

  const notice = { approvalId: input.approvalId, companyId: input.companyId, document };
  if (workflowInfo().typedSearchAttributes.get(searchAttributes.approvalStatus) !== searchStatus('pending')) setStatus('pending');

  const sent: Promise<unknown>[] = [];
  const send = (notified: Promise<unknown>) => {
    notified.catch(() => undefined);
    sent.push(notified);
  };
  const holders = () => [...new Set((state.eligible ?? []).map((e) => e.userId))];
  /** Who still has to act on the step: holders of seats that have not approved yet. */
  const waitingOn = () => {
    const approved = new Set(state.approvedBy);
    return [...new Set((state.eligible ?? []).filter((e) => !approved.has(e.onBehalfOf ?? e.userId)).map((e) => e.userId))];
  };

  let outcome: Exclude<ApprovalRunStatus, 'pending'> | undefined;
  while (!outcome) {
    const step = state.currentStep;
    const stepDef = input.steps[step];
    const openedAtMs = Date.now();
    state.escalated = [];
    state.approvedBy = [];
    resolved = undefined;
    seatLosses = [];
    let escalations = 0;
    let admins: string[] = [];
    const resolveSeats = () => resolveApprovalSeats({
      ...notice, step, approverIds: stepDef.approverIds, groupIds: stepDef.groupIds ?? [], routing: stepDef.routing,
      amount: document.amount, creatorId: input.creatorId,
    });
    if (resolvesSeats(stepDef) && patched('approval-seats')) {
      const seats = await resolveSeats();
      resolved = seats.seatIds;
      admins = seats.adminIds;
    }
    state.eligible = holdersOf(seatsOf(step), active);
    const approverIds = holders();
    const recipients = step === 0 ? [...new Set([...approverIds, ...input.notifyUserIds])] : approverIds;
    await openApprovalStep({ ...notice, first: step === 0, step, approverIds, seats: state.eligible, deadline });
    send(notices.notifyApprovalRequested({
      ...notice, step, stepCount: input.steps.length, userIds: recipients, approverIds, push: input.push, deadline, message: input.requestMessage,
    }));

    const escalateAtMs = stepDef.escalateToId && stepDef.escalateAfterDays !== undefined && stepDef.escalateAfterDays > 0
      ? openedAtMs + stepDef.escalateAfterDays * DAY_MS : undefined;
    let escalationDone = escalateAtMs === undefined;

    /**
     * When the step's seats not yet approved cannot bring it to its quorum: its escalation user, or without one the
     * company's admins, join it (never the creator, nor a seat it has); if that is not enough, the trail says that the
     * step waits for its deadline.
     */
    const escalateIfShort = async () => {
      const approved = new Set(state.approvedBy);
      // The quorum counts people: one person holding several seats (a delegate's) brings one approval, and one who approved brings none.
      const open = () => {
        const approving = approvingPeople();
        return new Set((state.eligible ?? []).filter((e) => !approved.has(e.onBehalfOf ?? e.userId) && !approving.has(e.userId)).map((e) => e.userId)).size;
      };
      const needed = required(step) - approved.size;
      if (open() >= needed) return;
      const seated = new Set(seatsOf(step));
      const joining = (stepDef.escalateToId ? [stepDef.escalateToId] : admins).filter((id) => id !== input.creatorId && !seated.has(id));
      const at = new Date().toISOString();
      if (joining.length > 0) {
        state.escalated = [...(state.escalated ?? []), ...joining];
        state.eligible = holdersOf(seatsOf(step), active);
        escalations += 1;
        const seats = joining.map((id) => ({ escalateToId: id, holderId: holderOf(id, active, keepsSeat([id], active) ? input.creatorId : undefined) }));
        await escalateApproval({
          ...notice, step, stepCount: input.steps.length, ...seats[0], seats, push: input.push, deadline, escalatedAt: at, reason: QUORUM_UNREACHABLE, level: escalations,
        });
        state.trail = [...state.trail, ...joining.map((id): ApprovalTrailEntry => ({
          step, decision: 'escalated', userId: id, comment: QUORUM_UNREACHABLE, decidedAt: at, onBehalfOf: null, via: null, closesStep: false,
        }))];
        if (escalateAtMs !== undefined && joining.includes(stepDef.escalateToId!)) escalationDone = true;
      }
      if (open() < needed && !state.trail.some((t) => t.step === step && t.decision === 'escalated' && t.userId === null)) {
        const entry: ApprovalTrailEntry = {
          step, decision: 'escalated', userId: null, comment: NOBODY_TO_ESCALATE, decidedAt: at, onBehalfOf: null, via: null, closesStep: false,
        };
        await recordDecision({ ...notice, ...entry, nextStep: null });
        state.trail = [...state.trail, entry];
      }
    };
    if (resolved) await escalateIfShort();
    const reminderAtMs = deadlineMs - reminderLeadMs;
    const remindable = !state.reminded && reminderLeadMs > 0 && openedAtMs < reminderAtMs;

    const settledOrCancelled = () => closing !== undefined || cancelRequest !== undefined;
    const somethingToDo = () => settledOrCancelled() || votes.length > 0 || delegationsChanged || seatLosses.length > 0;
    // Approvals accepted in the task that the deadline fired in are still recorded before the timeout.
    while (!settledOrCancelled() && (votes.length > 0 || Date.now() < deadlineMs)) {
      // Approvals short of the quorum: recorded in order, each answered once the database has it.
      while (votes.length > 0 && !cancelRequest) {
        const [vote] = votes;
        await inCauseOf(vote, () => recordDecision({ ...notice, ...vote, nextStep: null }));
        state.trail = [...state.trail, vote];
        votes = votes.slice(1);
        decisionsSettled += 1;
      }
      if (settledOrCancelled() || Date.now() >= deadlineMs) break;

      if (seatLosses.length > 0) {
        // Only a seat read from a group or a limit, not yet approved, can be lost: named approvers keep theirs.
        const approved = new Set(state.approvedBy);
        const atStake = seatLosses.filter((l) => resolved?.includes(l.userId) && !stepDef.approverIds.includes(l.userId) && !approved.has(l.userId));
        seatLosses = [];
        if (atStake.length > 0) {
          const seats = await resolveSeats();
          admins = seats.adminIds;
          const lost = [...new Map(atStake.filter((l) => !seats.seatIds.includes(l.userId)).map((l) => [l.userId, l])).values()];
          for (const loss of lost) {
            const entry: ApprovalTrailEntry = {
              step, decision: 'seat_lost', userId: loss.userId, comment: loss.reason, decidedAt: new Date().toISOString(), onBehalfOf: null, via: null, closesStep: false,
            };
            await recordDecision({ ...notice, ...entry, nextStep: null });
            resolved = (resolved ?? []).filter((id) => id !== loss.userId);
            state.eligible = holdersOf(seatsOf(step), active);
            state.trail = [...state.trail, entry];
          }
          if (lost.length > 0) await escalateIfShort();
        }
        continue;
      }

      const now = Date.now();
      const nowActive = delegationsAt(known, now);
      if (delegationsChanged || [...nowActive].some(([k, v]) => active.get(k) !== v) || active.size !== nowActive.size) {
        delegationsChanged = false;
        active = nowActive;
        state.delegated = Object.fromEntries(active);
        const before = new Map((state.eligible ?? []).map((e) => [e.onBehalfOf ?? e.userId, e.userId]));
        const after = holdersOf(seatsOf(step), active);
        const approved = new Set(state.approvedBy);
        const moved = after
          .map((e) => ({ seatId: e.onBehalfOf ?? e.userId, fromId: before.get(e.onBehalfOf ?? e.userId) ?? '', toId: e.userId }))
          .filter((m) => m.fromId !== m.toId && !approved.has(m.seatId));
        state.eligible = after;
        if (moved.length > 0) {
          moves += 1;
          await moveApprovalRequests({
            ...notice, step, stepCount: input.steps.length, move: moves, moves: moved, holderIds: holders(), push: input.push, deadline,
          });
        }
        continue;
      }

      if (!escalationDone && escalateAtMs !== undefined && now >= escalateAtMs) {
        escalationDone = true;
        const to = stepDef.escalateToId!;
        if (!seatsOf(step).includes(to) && to !== input.creatorId) {
          state.escalated = [...(state.escalated ?? []), to];
          state.eligible = holdersOf(seatsOf(step), active);
          const entry: ApprovalTrailEntry = {
            step, decision: 'escalated', userId: to, comment: null, decidedAt: new Date(now).toISOString(), onBehalfOf: null, via: null, closesStep: false,
          };
          escalations += 1;
          await escalateApproval({
            ...notice, step, stepCount: input.steps.length, escalateToId: to, holderId: holderOf(to, active, keepsSeat([to], active) ? input.creatorId : undefined),
            push: input.push, deadline,
            escalatedAt: entry.decidedAt, level: escalations,
          });
          state.trail = [...state.trail, entry];
        }
        continue;
      }
      if (remindable && !state.reminded && now >= reminderAtMs) {
        await remindApprovers({ ...notice, step, approverIds: waitingOn(), push: input.push, deadline });
        state.reminded = true;
        continue;
      }

      const wakeAt = Math.min(
        deadlineMs,
        ...(remindable && !state.reminded ? [reminderAtMs] : []),
        ...(!escalationDone && escalateAtMs !== undefined ? [escalateAtMs] : []),
        ...[nextDelegationBoundary(known, now)].filter((t): t is number => t !== undefined),
      );
      await condition(somethingToDo, Math.max(1, wakeAt - now));
    }

    if (cancelRequest) {
      const entry: ApprovalTrailEntry = {
        step, decision: 'cancelled', userId: cancelRequest.userId ?? null, comment: cancelRequest.reason ?? null, decidedAt: new Date().toISOString(),
      };
      state.trail = [...state.trail, entry];
      await cancelApproval({ ...notice, ...entry });
      outcome = 'cancelled';
      setStatus(outcome);
      break;
    }

    const entry: ApprovalTrailEntry = closing ??= {
      step, decision: 'timeout', userId: null, comment: null, decidedAt: new Date().toISOString(), closesStep: true,
    };
    state.trail = [...state.trail, entry];
    const advance = entry.decision === 'approved' && step < input.steps.length - 1;
    const decided: 'approved' | 'rejected' = entry.decision === 'approved' ? 'approved' : 'rejected';
    const completion = advance ? undefined : {
      ...notice,
      creatorId: input.creatorId,
      outcome: decided,
      decision: entry.decision,
      decidedBy: entry.userId,
      comment: entry.comment,
      notifyUserIds: input.notifyUserIds,
      push: input.push,
    };
    const result = await inCauseOf(entry, () => settleDecision({ decision: { ...notice, ...entry, nextStep: advance ? step + 1 : null }, completion }));
    if (advance) {
      state.currentStep = step + 1;
    } else {
      outcome = result.applied ? decided : 'cancelled';
      setStatus(outcome);
    }
    closing = undefined;
    decisionsSettled = decisionsAccepted;
    if (completion && result.applied) send(inCauseOf(entry, () => notices.notifyApprovalOutcome(completion)));
  }
  decisionsSettled = decisionsAccepted;
  state.eligible = [];

  await Promise.all(sent);
  await condition(allHandlersFinished);
  return { approvalId: input.approvalId, status: outcome, trail: state.trail, definitionVersion: state.definitionVersion };
}

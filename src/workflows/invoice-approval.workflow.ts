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
  type ApprovalRunStatus,
  type ApprovalState,
  type ApprovalTrailEntry,
  approvalStateQuery,
  approveSignal,
  type CancelInput,
  cancelSignal,
  type DecideInput,
  decideUpdate,
  DecisionRefusal,
  DEFAULT_APPROVAL_TIMEOUT,
  DEFAULT_APPROVER_REMINDER_LEAD,
  type InvoiceApprovalInput,
  type InvoiceApprovalOutput,
  rejectSignal,
  searchAttributes,
} from '../contracts';
import { approvalWithRules } from './approval-rules';

// Local activities: each is a few queries and at most a handful of emails, all idempotent (keys the database keeps
// unique), so running them inside the workflow task saves a round trip through the server per side effect. A worker
// that dies mid-task re-runs them, which the keys make harmless, exactly as for a retried activity.
const { requestApproval, openApprovalStep, settleApproval, settleDecision, remindApprovers, cancelApproval } =
  proxyLocalActivities<ApprovalActivities>({
    startToCloseTimeout: '30 seconds',
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
  });

// Notices nobody should wait for, as activities of their own: a local activity holds its workflow task, and with it
// the answer to a decision (or a decision arriving meanwhile), until it completes; these run beside the run instead.
const notices = proxyActivities<ApprovalActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/**
 * Runs that ask for a step with this patch open its tasks (local activity), then send the request in an activity of
 * its own; runs recorded before it do both in one local activity (requestApproval).
 */
const REQUEST_NOTICES_PATCH = 'request-notices-in-activity';
/**
 * Runs that reach a decision with this patch settle it durably, answer the decision, and send the outcome's notices in
 * an activity of their own; runs recorded before it settle and notify in one local activity (settleApproval).
 */
const NOTIFY_AFTER_DECISION_PATCH = 'notify-after-decision';

/**
 * Runs started with this patch apply PRODUCT §9: quorum, no self-approval, escalation and delegation (see
 * approval-rules.ts); runs recorded before it keep the loop below.
 */
const APPROVER_RULES_PATCH = 'approver-rules';

const MAX_IGNORED_KEPT = 20;

/** The invoice's `approvalStatus` vocabulary for the `ApprovalStatus` search attribute; `cancelled` marks a run ended by an edit. */
function searchStatus(status: ApprovalRunStatus): string {
  return status === 'pending' ? 'pending_approval' : status;
}

/**
 * One submission of an invoice for approval: opens tasks and notifies, then waits for each step's decision
 * (signal or Update), reminds the approvers before the deadline, and rejects at the deadline.
 */
export async function invoiceApproval(input: InvoiceApprovalInput): Promise<InvoiceApprovalOutput> {
  if (input.steps.length === 0 || input.steps.some((s) => s.approverIds.length === 0)) {
    throw ApplicationFailure.create({ type: 'InvalidApprovalSteps', message: 'every approval step needs at least one approver', nonRetryable: true });
  }
  if (patched(APPROVER_RULES_PATCH)) return approvalWithRules(input);
  return approvalBeforeRules(input);
}

/** The run as recorded before the `approver-rules` patch: any one approver decides a step, no delegation or escalation. */
async function approvalBeforeRules(input: InvoiceApprovalInput): Promise<InvoiceApprovalOutput> {
  const timeoutMs = msToNumber(input.timeout ?? DEFAULT_APPROVAL_TIMEOUT);
  const reminderLeadMs = msToNumber(input.reminderLead ?? DEFAULT_APPROVER_REMINDER_LEAD);
  const deadlineMs = workflowInfo().startTime.getTime() + timeoutMs;
  const deadline = new Date(deadlineMs).toISOString();

  const state: ApprovalState = {
    approvalId: input.approvalId,
    status: 'pending',
    currentStep: 0,
    steps: input.steps,
    deadline,
    reminded: false,
    trail: [],
    ignored: [],
  };
  /** A decision accepted for the current step, waiting for the main loop to record it. */
  let accepted: ApprovalTrailEntry | undefined;
  let cancelRequest: CancelInput | undefined;
  /** Counts decisions the main loop has fully processed, so an Update can answer only once the database agrees. */
  let decisionsAccepted = 0;
  let decisionsSettled = 0;

  const refusal = (d: DecideInput): { type: string; message: string } | undefined => {
    if (state.status !== 'pending' || accepted || cancelRequest) {
      return { type: DecisionRefusal.notPending, message: `invoice ${input.invoiceNumber} is not pending approval (approval is ${state.status})` };
    }
    const approvers = input.steps[state.currentStep].approverIds;
    if (!approvers.includes(d.userId) && !(input.allowAdmins && d.isAdmin)) {
      return { type: DecisionRefusal.notAnApprover, message: `user ${d.userId} is not an approver of step ${state.currentStep + 1} of invoice ${input.invoiceNumber}` };
    }
    return undefined;
  };

  const accept = (d: DecideInput): boolean => {
    const refused = refusal(d);
    if (refused) {
      log.warn('approval decision ignored', { approvalId: input.approvalId, userId: d.userId, decision: d.decision, reason: refused.type });
      state.ignored = [...state.ignored, {
        userId: d.userId,
        decision: d.decision,
        why: refused.type === DecisionRefusal.notAnApprover ? 'not_an_approver' as const : 'not_pending' as const,
        at: new Date().toISOString(),
      }].slice(-MAX_IGNORED_KEPT);
      return false;
    }
    const text = d.decision === 'approve' ? d.comment : (d.reason ?? d.comment);
    accepted = {
      step: state.currentStep,
      decision: d.decision === 'approve' ? 'approved' : 'rejected',
      userId: d.userId,
      comment: text?.trim() ? text.trim() : null,
      decidedAt: new Date().toISOString(),
    };
    decisionsAccepted += 1;
    return true;
  };

  setHandler(approveSignal, (d) => void accept({ ...d, decision: 'approve' }));
  setHandler(rejectSignal, (d) => void accept({ ...d, decision: 'reject' }));
  setHandler(cancelSignal, (c) => {
    if (state.status === 'pending' && !cancelRequest) cancelRequest = c ?? {};
  });
  setHandler(approvalStateQuery, () => state);
  setHandler(
    decideUpdate,
    async (d) => {
      // Between validation and this handler another decision may have been accepted (two approvers at once).
      const refused = refusal(d);
      if (refused) throw ApplicationFailure.create({ type: refused.type, message: refused.message, nonRetryable: true });
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
        const refused = refusal(d);
        if (refused) throw ApplicationFailure.create({ type: refused.type, message: refused.message, nonRetryable: true });
      },
    },
  );

  const setStatus = (status: ApprovalRunStatus) => {
    state.status = status;
    upsertSearchAttributes([{ key: searchAttributes.approvalStatus, value: searchStatus(status) }]);
  };

  const notice = { approvalId: input.approvalId, companyId: input.companyId, invoiceId: input.invoiceId, invoiceNumber: input.invoiceNumber };

  // The API starts runs with ApprovalStatus set: upserting it again would cost a visibility write per approval.
  if (workflowInfo().typedSearchAttributes.get(searchAttributes.approvalStatus) !== searchStatus('pending')) setStatus('pending');

  /** The notices sent beside the run, awaited before it ends. */
  const sent: Promise<unknown>[] = [];
  const send = (notified: Promise<unknown>) => {
    notified.catch(() => undefined); // awaited, and its failure surfaced, before the run ends
    sent.push(notified);
  };

  let outcome: Exclude<ApprovalRunStatus, 'pending'> | undefined;
  while (!outcome) {
    const step = state.currentStep;
    const approverIds = input.steps[step].approverIds;
    const recipients = step === 0 ? [...new Set([...approverIds, ...input.notifyUserIds])] : approverIds;
    const request = {
      ...notice, first: step === 0, step, stepCount: input.steps.length, approverIds, userIds: recipients, push: input.push, deadline,
      message: input.requestMessage,
    };
    if (patched(REQUEST_NOTICES_PATCH)) {
      await openApprovalStep(request);
      const { first: _first, approverIds: _approvers, ...told } = request;
      send(notices.notifyApprovalRequested(told));
    } else {
      await requestApproval(request);
    }

    const decidedOrCancelled = () => accepted !== undefined || cancelRequest !== undefined;
    const reminderAtMs = deadlineMs - reminderLeadMs;
    if (!state.reminded && reminderLeadMs > 0 && Date.now() < reminderAtMs) {
      if (!(await condition(decidedOrCancelled, reminderAtMs - Date.now()))) {
        await remindApprovers({ ...notice, step, approverIds: input.steps[state.currentStep].approverIds, push: input.push, deadline });
        state.reminded = true;
      }
    }
    const remaining = deadlineMs - Date.now();
    if (!decidedOrCancelled() && remaining > 0) await condition(decidedOrCancelled, remaining);

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

    // A decision accepted in the same workflow task as the deadline timer still counts: its Update was already accepted.
    // A timeout takes the decision's place, so that a decision arriving while it is recorded is refused, not lost.
    accepted ??= { step, decision: 'timeout', userId: null, comment: null, decidedAt: new Date().toISOString() };
    const entry: ApprovalTrailEntry = accepted;
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
    const notifyAfterDecision = patched(NOTIFY_AFTER_DECISION_PATCH);
    const settle = notifyAfterDecision ? settleDecision : settleApproval;
    const result = await settle({ decision: { ...notice, ...entry, nextStep: advance ? step + 1 : null }, completion });
    if (advance) {
      state.currentStep = step + 1;
    } else {
      // The API may have cancelled the approval in the database (invoice edited) just before the decision landed.
      outcome = result.applied ? decided : 'cancelled';
      setStatus(outcome);
    }
    accepted = undefined;
    decisionsSettled = decisionsAccepted;
    if (notifyAfterDecision && completion && result.applied) send(notices.notifyApprovalOutcome(completion));
  }
  decisionsSettled = decisionsAccepted;

  await Promise.all(sent);

  await condition(allHandlersFinished);
  return { approvalId: input.approvalId, status: outcome, trail: state.trail };
}

import type { ApprovalState, DecideInput } from '../contracts';
import type { RecordedDecision } from '../db/approvals.repository';

/**
 * A decision Postgres holds that its run may never have heard of: the `decide` Update's workflow task records it (a
 * local activity) before the task completes, and a Temporal server that dies in between loses the task and the Update
 * it held in memory. The run still waits; telling it the same decision again settles it as recorded (writing the
 * decision and the outcome again changes nothing) and sends the outcome's notices. The API does it when the decider
 * asks again; the worker when nobody has, a while after the decision.
 */
export type DecisionToRetell = Pick<RecordedDecision, 'step' | 'decision' | 'userId' | 'isAdmin' | 'comment' | 'via'>;

/** The run still waits at the step the recorded decision closed: it never heard of it. */
export function waitsForRecorded(state: Pick<ApprovalState, 'status' | 'currentStep'> | undefined, recorded: Pick<DecisionToRetell, 'step'>): boolean {
  return state?.status === 'pending' && state.currentStep === recorded.step;
}

/**
 * The `decide` Update that tells the run the recorded decision, in its own words and channel, bound to its step (the
 * run refuses it once at another step). Its id is the same for whoever tells it (the decider's retry, any worker), so
 * the server runs it once however many ask at the same time.
 */
export function retoldDecision(recorded: DecisionToRetell): { updateId: string; args: [DecideInput] } {
  const words = recorded.decision === 'approved' ? { comment: recorded.comment ?? undefined } : { reason: recorded.comment ?? undefined };
  return {
    updateId: `retold-decision-of-step-${recorded.step}`,
    args: [{
      decision: recorded.decision === 'approved' ? 'approve' : 'reject', userId: recorded.userId, isAdmin: recorded.isAdmin, ...words,
      via: recorded.via ?? 'api', step: recorded.step,
    }],
  };
}

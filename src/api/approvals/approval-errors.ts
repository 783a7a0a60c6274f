import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { DecisionRefusal } from '../../contracts';
import { DomainError } from '../../domain/errors';
import { temporalErrorMapping } from '../common/temporal-errors';

const REFUSAL_STATUS: Record<string, number> = {
  [DecisionRefusal.notAnApprover]: 403,
  [DecisionRefusal.notPending]: 409,
  [DecisionRefusal.reasonRequired]: 400,
  [DecisionRefusal.selfApproval]: 403,
  [DecisionRefusal.alreadyApproved]: 409,
  [DecisionRefusal.staleStep]: 409,
};

/**
 * Turns what the `decide` Update answered into the API's status: the validator's refusals keep their words; any other
 * Temporal error is a run that ended or changed under the caller (409) or Temporal not answering in time (503).
 * Anything else is not Temporal's and is left as it is.
 */
export function decisionError(err: unknown, number: string, kind: 'invoice' | 'bill' = 'invoice'): Error {
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
    const status = err.cause.type ? REFUSAL_STATUS[err.cause.type] : undefined;
    if (status) return new DomainError(status, err.cause.message);
  }
  const mapped = temporalErrorMapping(err);
  if (mapped?.status === 409) return new DomainError(409, `${kind} ${number} is not pending approval: ${mapped.reason}`);
  if (mapped?.status === 503) {
    return new DomainError(503, `the approval workflow of ${kind} ${number} did not confirm the decision (${mapped.reason}); ` +
      `check GET /v1/${kind}s/:id/approval before trying again`);
  }
  return err instanceof Error ? err : new Error(String(err));
}

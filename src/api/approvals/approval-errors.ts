import { WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { ApplicationFailure, WorkflowNotFoundError } from '@temporalio/common';
import { DecisionRefusal } from '../../contracts';
import { DomainError } from '../../domain/errors';

const REFUSAL_STATUS: Record<string, number> = {
  [DecisionRefusal.notAnApprover]: 403,
  [DecisionRefusal.notPending]: 409,
  [DecisionRefusal.reasonRequired]: 400,
};

/** Turns what the `decide` Update answered into the API's status: the validator's refusals keep their words. */
export function decisionError(err: unknown, invoiceNumber: string): Error {
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
    const status = err.cause.type ? REFUSAL_STATUS[err.cause.type] : undefined;
    if (status) return new DomainError(status, err.cause.message);
  }
  if (err instanceof WorkflowNotFoundError) {
    return new DomainError(409, `invoice ${invoiceNumber} is not pending approval: its approval workflow has ended`);
  }
  if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) {
    return new DomainError(503, `the approval workflow of invoice ${invoiceNumber} did not confirm the decision in time (is a worker running?); ` +
      'check GET /v1/invoices/:id/approval before trying again');
  }
  return err instanceof Error ? err : new Error(String(err));
}

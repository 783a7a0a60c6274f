import {
  isGrpcServiceError, QueryNotRegisteredError, QueryRejectedError, ScheduleAlreadyRunning, ScheduleNotFoundError, ServiceError,
  WorkflowContinuedAsNewError, WorkflowFailedError, WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError,
} from '@temporalio/client';
import { NamespaceNotFoundError, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/common';

/** gRPC status codes the Temporal service answers with (grpc-js is not a direct dependency). */
const GRPC = {
  CANCELLED: 1, DEADLINE_EXCEEDED: 4, NOT_FOUND: 5, ALREADY_EXISTS: 6, RESOURCE_EXHAUSTED: 8, FAILED_PRECONDITION: 9, ABORTED: 10, UNAVAILABLE: 14,
} as const;

/**
 * How the API answers an error of the Temporal client: `changed` (409) when the run or schedule ended or changed under
 * the caller, `unavailable` (503) when Temporal did not answer in time or could not serve the call. Undefined for an
 * error that is not Temporal's.
 */
export interface TemporalErrorMapping {
  status: 409 | 503;
  kind: 'changed' | 'unavailable';
  /** What happened, in words for the caller, without the SDK's class names. */
  reason: string;
}

const changed = (reason: string): TemporalErrorMapping => ({ status: 409, kind: 'changed', reason });
const unavailable = (reason: string): TemporalErrorMapping => ({ status: 503, kind: 'unavailable', reason });

function grpcMapping(code: number | undefined): TemporalErrorMapping {
  switch (code) {
    case GRPC.NOT_FOUND:
      return changed('the workflow run has ended');
    case GRPC.ALREADY_EXISTS:
      return changed('the workflow is already running');
    case GRPC.FAILED_PRECONDITION:
    case GRPC.ABORTED:
      return changed('the workflow run ended or changed while the request was in flight');
    case GRPC.DEADLINE_EXCEEDED:
    case GRPC.CANCELLED:
      return unavailable('Temporal did not answer in time');
    case GRPC.RESOURCE_EXHAUSTED:
      return unavailable('Temporal is overloaded');
    default:
      return unavailable('Temporal could not serve the request');
  }
}

/** The one mapping of Temporal client errors to API statuses, for the services and the exception filter alike. */
export function temporalErrorMapping(err: unknown): TemporalErrorMapping | undefined {
  if (err instanceof WorkflowNotFoundError) return changed('the workflow run has ended');
  if (err instanceof WorkflowExecutionAlreadyStartedError || err instanceof ScheduleAlreadyRunning) return changed('the workflow is already running');
  if (err instanceof WorkflowUpdateFailedError) return changed(`the workflow did not apply the request: ${err.cause?.message ?? err.message}`);
  if (err instanceof WorkflowFailedError || err instanceof WorkflowContinuedAsNewError) return changed('the workflow run has ended');
  if (err instanceof QueryRejectedError || err instanceof QueryNotRegisteredError) return changed('the workflow run cannot answer in its current state');
  if (err instanceof ScheduleNotFoundError) return changed('the schedule no longer exists');
  if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return unavailable('Temporal did not confirm in time');
  if (err instanceof NamespaceNotFoundError) return unavailable('the Temporal namespace is not available');
  if (err instanceof ServiceError) return grpcMapping(isGrpcServiceError(err.cause) ? err.cause.code : undefined);
  if (isGrpcServiceError(err)) return grpcMapping(err.code);
  return undefined;
}

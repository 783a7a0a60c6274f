import {
  QueryRejectedError, ServiceError, WorkflowFailedError, WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError,
} from '@temporalio/client';
import {
  ApplicationFailure, CancelledFailure, NamespaceNotFoundError, RetryState, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError,
} from '@temporalio/common';
import { temporalErrorMapping } from './temporal-errors';

/** What grpc-js throws: an Error with a numeric code, details and metadata. */
const grpcError = (code: number) => Object.assign(new Error(`${code} grpc`), { code, details: `status ${code}`, metadata: {} });
const service = (code: number) => new ServiceError('Workflow Update failed', { cause: grpcError(code) });

describe(temporalErrorMapping.name, () => {
  it.each([
    ['an Update on a run that ended', new WorkflowNotFoundError('workflow execution already completed', 'wf', undefined)],
    ['an Update the run failed (run cancelled under it)', new WorkflowUpdateFailedError('Workflow Update failed', new CancelledFailure('cancelled'))],
    ['an Update the run refused', new WorkflowUpdateFailedError('Workflow Update failed', ApplicationFailure.create({ type: 'Other', message: 'no' }))],
    ['a start of a run already running', new WorkflowExecutionAlreadyStartedError('started', 'wf', 'invoiceApproval')],
    ['a result of a run that failed', new WorkflowFailedError('failed', undefined, RetryState.NON_RETRYABLE_FAILURE)],
    ['a query the run rejected', new QueryRejectedError(2)],
    ['NOT_FOUND from the service', service(5)],
    ['FAILED_PRECONDITION from the service', service(9)],
    ['ABORTED from the service', service(10)],
    ['ALREADY_EXISTS from the service', service(6)],
    ['a raw gRPC NOT_FOUND', grpcError(5)],
  ])('maps %s to 409', (_, err) => {
    expect(temporalErrorMapping(err)).toMatchObject({ status: 409, kind: 'changed', reason: expect.any(String) });
  });

  it.each([
    ['an Update whose call timed out', new WorkflowUpdateRPCTimeoutOrCancelledError('timeout')],
    ['DEADLINE_EXCEEDED from the service', service(4)],
    ['CANCELLED from the service', service(1)],
    ['UNAVAILABLE from the service', service(14)],
    ['RESOURCE_EXHAUSTED from the service', service(8)],
    ['any other service failure', service(13)],
    ['a service error without a gRPC cause', new ServiceError('Unexpected error while making gRPC request')],
    ['an unknown namespace', new NamespaceNotFoundError('default')],
  ])('maps %s to 503', (_, err) => {
    expect(temporalErrorMapping(err)).toMatchObject({ status: 503, kind: 'unavailable' });
  });

  it('says the Update\'s own words when the run refused it', () => {
    const err = new WorkflowUpdateFailedError('Workflow Update failed', ApplicationFailure.create({ type: 'Other', message: 'approval is cancelled' }));
    expect(temporalErrorMapping(err)?.reason).toContain('approval is cancelled');
  });

  it('leaves errors that are not Temporal\'s to others', () => {
    expect(temporalErrorMapping(new Error('boom'))).toBeUndefined();
    expect(temporalErrorMapping(Object.assign(new Error('duplicate key'), { code: '23505' }))).toBeUndefined();
    expect(temporalErrorMapping(undefined)).toBeUndefined();
  });
});

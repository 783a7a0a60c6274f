import { ServiceError, WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { ApplicationFailure, CancelledFailure, WorkflowNotFoundError } from '@temporalio/common';
import { DomainError } from '../../domain/errors';
import { decisionError } from './approval-errors';

const refused = (type: string, message: string) =>
  new WorkflowUpdateFailedError('Workflow Update failed', ApplicationFailure.create({ type, message, nonRetryable: true }));

describe(decisionError.name, () => {
  it.each([
    ['NotAnApprover', 403],
    ['NotPending', 409],
    ['ReasonRequired', 400],
  ])('maps the validator refusal %s to %i with its message', (type, status) => {
    const err = decisionError(refused(type, `refused: ${type}`), 'INV-1');
    expect(err).toBeInstanceOf(DomainError);
    expect(err).toMatchObject({ statusCode: status, message: `refused: ${type}` });
  });

  it('answers 409 when the run has already ended', () => {
    expect(decisionError(new WorkflowNotFoundError('gone', 'wf', undefined), 'INV-1')).toMatchObject({ statusCode: 409, message: expect.stringContaining('INV-1') });
  });

  it('answers 503 when no worker confirmed in time', () => {
    expect(decisionError(new WorkflowUpdateRPCTimeoutOrCancelledError('timeout'), 'INV-1')).toMatchObject({ statusCode: 503 });
  });

  it('answers 409 for an Update that failed otherwise: the decision was not applied', () => {
    expect(decisionError(refused('Boom', 'unexpected'), 'INV-1')).toMatchObject({ statusCode: 409, message: expect.stringContaining('unexpected') });
    expect(decisionError(new WorkflowUpdateFailedError('Workflow Update failed', new CancelledFailure('run ended')), 'INV-1'))
      .toMatchObject({ statusCode: 409, message: expect.stringContaining('INV-1') });
  });

  it('answers 409 when the run ended while the Update was in flight, 503 when Temporal is unavailable', () => {
    const grpc = (code: number) => new ServiceError('Workflow Update failed', { cause: Object.assign(new Error('grpc'), { code, details: 'x', metadata: {} }) });
    expect(decisionError(grpc(9), 'INV-1')).toMatchObject({ statusCode: 409 });
    expect(decisionError(grpc(14), 'INV-1')).toMatchObject({ statusCode: 503 });
  });

  it('leaves an error that is not Temporal\'s alone, to surface as what it is', () => {
    const original = new Error('connection refused');
    expect(decisionError(original, 'INV-1')).toBe(original);
  });
});

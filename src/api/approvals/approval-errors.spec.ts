import { WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { ApplicationFailure, WorkflowNotFoundError } from '@temporalio/common';
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

  it('leaves an unknown failure type alone, to surface as a 500', () => {
    const original = refused('Boom', 'unexpected');
    expect(decisionError(original, 'INV-1')).toBe(original);
  });
});

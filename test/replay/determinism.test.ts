import { DeterminismViolationError } from '@temporalio/workflow';
import { readHistories, replay } from './histories';

const approvals = readHistories((file) => file.startsWith('invoice-approval.'));

/** Each file's replay outcome, in words a failing assertion shows. */
async function outcomes(workflowsPath: string): Promise<Array<[string, string]>> {
  const results = await replay(workflowsPath, approvals);
  return approvals.map(({ file }) => {
    const error = results.get(file)?.error;
    return [file, error instanceof DeterminismViolationError ? 'DeterminismViolationError' : error ? `${error.name}: ${error.message}` : 'replayed'];
  });
}

describe('replaying the approval histories against a changed invoiceApproval', () => {
  it('fails with a DeterminismViolationError when a timer is added before its first command', async () => {
    expect(approvals.length).toBeGreaterThanOrEqual(7);
    expect(await outcomes(require.resolve('./fixtures/extra-sleep.workflows')))
      .toEqual(approvals.map(({ file }) => [file, 'DeterminismViolationError']));
  });

  it('replays when that timer is guarded by patched()', async () => {
    expect(await outcomes(require.resolve('./fixtures/patched-extra-sleep.workflows')))
      .toEqual(approvals.map(({ file }) => [file, 'replayed']));
  });
});

import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { Activities } from '../../src/contracts';
import { diagnosticRoundtrip } from '../../src/workflows/diagnostic-roundtrip.workflow';
import { testEnv } from '../support/env';
import { productWorkflows } from '../support/workflows';

describe(diagnosticRoundtrip.name, () => {
  let env: TestWorkflowEnvironment;

  beforeAll(async () => {
    env = await TestWorkflowEnvironment.createTimeSkipping({
      server: { executable: { type: 'existing-path', path: testEnv().temporalTestServerPath } },
    });
  });
  afterAll(() => env?.teardown());

  it('returns what the activity recorded, retrying a failed attempt', async () => {
    let attempts = 0;
    const activities: Pick<Activities, 'recordDiagnosticPing'> = {
      async recordDiagnosticPing({ pingId }) {
        attempts += 1;
        if (attempts === 1) throw new Error('database briefly unavailable');
        return { pingId, workerIdentity: 'test-worker', recordedAt: '2026-11-28T00:00:00.000Z' };
      },
    };
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: 'diagnostics',
      ...productWorkflows(),
      activities,
    });
    const result = await worker.runUntil(
      env.client.workflow.execute(diagnosticRoundtrip, { taskQueue: 'diagnostics', workflowId: 'diag-1', args: [{ pingId: 'p1' }] }),
    );
    expect(result).toEqual({ pingId: 'p1', workerIdentity: 'test-worker', recordedAt: '2026-11-28T00:00:00.000Z' });
    expect(attempts).toBe(2);
  });
});

import { MockActivityEnvironment } from '@temporalio/testing';
import { createLogger } from './logger';

describe('createLogger', () => {
  const capture = (service: 'relance-api' | 'relance-worker' = 'relance-api') => {
    const lines: string[] = [];
    const sink = { write: (l: string) => lines.push(l) };
    return { lines, logger: createLogger(service, sink, sink), parsed: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
  };

  it('writes one JSON object per line with the service, level and message', () => {
    const { lines, logger, parsed } = capture();
    logger.info('hello', { n: 1 });
    expect(lines[0].endsWith('}\n')).toBe(true);
    expect(parsed()[0]).toMatchObject({ level: 'info', service: 'relance-api', msg: 'hello', n: 1 });
    expect(typeof parsed()[0].time).toBe('string');
  });

  it('in the worker, inside an activity, carries its workflow id and run id', async () => {
    const { logger, parsed } = capture('relance-worker');
    const env = new MockActivityEnvironment({ workflowExecution: { workflowId: 'invoice-approval-x-1', runId: 'run-1' } });
    await env.run(async () => logger.info('activity line'));
    expect(parsed()[0]).toMatchObject({ msg: 'activity line', workflowId: 'invoice-approval-x-1', runId: 'run-1' });
  });
});

import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { Activities, FinishRunInput } from '../../src/contracts';
import { reminderSweep } from '../../src/workflows/reminder-sweep.workflow';
import { testEnv } from '../support/env';
import { productWorkflows } from '../support/workflows';

type SweepActivities = Pick<Activities, 'startRun' | 'findMatchingPage' | 'deliverBatch' | 'finishRun'>;

/** A ledger of `size` matching records whose ids sort in order, served page by page like the real keyset. */
function fakeLedger(size: number, options: { failDeliveriesOnce?: boolean } = {}) {
  const ids = Array.from({ length: size }, (_, i) => `rec-${String(i).padStart(6, '0')}`);
  const calls = { pages: [] as Array<string | null>, delivered: [] as string[], batches: [] as number[], deliverAttempts: 0 };
  const finished: FinishRunInput[] = [];
  let failed = false;
  const activities: SweepActivities = {
    async startRun() {
      return { runRecordId: 'run-1', asOf: '2026-11-28T14:00:00.000Z', notLive: null };
    },
    async findMatchingPage({ cursor, limit }) {
      calls.pages.push(cursor?.id ?? null);
      const start = cursor ? ids.indexOf(cursor.id) + 1 : 0;
      const page = ids.slice(start, start + limit);
      const last = page[page.length - 1];
      return { ids: page, nextCursor: page.length === limit ? { key: null, id: last } : null, queryMs: 1 };
    },
    async deliverBatch({ recordIds }) {
      calls.deliverAttempts += 1;
      if (options.failDeliveriesOnce && !failed) {
        failed = true;
        throw new Error('SMTP briefly unavailable');
      }
      calls.delivered.push(...recordIds);
      calls.batches.push(recordIds.length);
      return { stillMatching: recordIds.length, delivered: recordIds.length, skipped: 0, failed: 0, errors: [] };
    },
    async finishRun(input) {
      finished.push(input);
    },
  };
  return { activities, calls, finished };
}

describe(reminderSweep.name, () => {
  let env: TestWorkflowEnvironment;

  beforeAll(async () => {
    env = await TestWorkflowEnvironment.createTimeSkipping({
      server: { executable: { type: 'existing-path', path: testEnv().temporalTestServerPath } },
    });
  });
  afterAll(() => env?.teardown());

  async function run(ledger: ReturnType<typeof fakeLedger>, input: { pageSize: number; pagesPerRun: number; batchSize?: number }, workflowId: string) {
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: 'sweeps',
      ...productWorkflows(),
      activities: ledger.activities,
    });
    const handle = await env.client.workflow.start(reminderSweep, {
      taskQueue: 'sweeps', workflowId, args: [{ definitionId: 'def-1', companyId: 'co-1', ...input }],
    });
    const result = await worker.runUntil(handle.result());
    return { result, handle };
  }

  it('pages through every record once, delivers each page in batches and records the totals', async () => {
    const ledger = fakeLedger(45);
    const { result } = await run(ledger, { pageSize: 10, pagesPerRun: 100, batchSize: 4 }, 'sweep-paging');
    expect(ledger.calls.pages).toEqual([null, 'rec-000009', 'rec-000019', 'rec-000029', 'rec-000039']);
    expect(ledger.calls.batches).toEqual([4, 4, 2, 4, 4, 2, 4, 4, 2, 4, 4, 2, 4, 1]);
    expect(ledger.calls.delivered).toHaveLength(45);
    expect(new Set(ledger.calls.delivered).size).toBe(45);
    expect(result).toMatchObject({ outcome: 'completed', matched: 45, delivered: 45, pages: 5, continuedAsNew: 0 });
    expect(ledger.finished).toEqual([{ runRecordId: 'run-1', status: 'completed', matched: 45, delivered: 45, skipped: 0, failed: 0, errors: [] }]);
  });

  it('continues as new every few pages, carrying the cursor and the totals into one run record', async () => {
    const ledger = fakeLedger(95);
    const { result, handle } = await run(ledger, { pageSize: 10, pagesPerRun: 3 }, 'sweep-continue-as-new');
    expect(result).toMatchObject({ outcome: 'completed', matched: 95, delivered: 95, pages: 10, continuedAsNew: 3 });
    expect(ledger.calls.delivered).toEqual(Array.from({ length: 95 }, (_, i) => `rec-${String(i).padStart(6, '0')}`));
    expect(ledger.finished).toHaveLength(1);
    expect(ledger.finished[0]).toMatchObject({ runRecordId: 'run-1', matched: 95, delivered: 95 });
    // The last run of the chain is not the first: the history was cut.
    const description = await handle.describe();
    expect(description.runId).not.toBe(handle.firstExecutionRunId);
  });

  it('retries a failed delivery batch and still delivers every record once', async () => {
    const ledger = fakeLedger(25, { failDeliveriesOnce: true });
    const { result } = await run(ledger, { pageSize: 10, pagesPerRun: 100 }, 'sweep-retry');
    expect(ledger.calls.deliverAttempts).toBe(4);
    expect(ledger.calls.delivered).toHaveLength(25);
    expect(result).toMatchObject({ outcome: 'completed', matched: 25, delivered: 25 });
  });

  it('records a failed run when delivering keeps failing', async () => {
    const ledger = fakeLedger(5);
    ledger.activities.deliverBatch = async () => {
      throw new Error('database is gone');
    };
    const worker = await Worker.create({
      connection: env.nativeConnection, taskQueue: 'sweeps-fail', ...productWorkflows(), activities: ledger.activities,
    });
    const handle = await env.client.workflow.start(reminderSweep, {
      taskQueue: 'sweeps-fail', workflowId: 'sweep-fails', args: [{ definitionId: 'def-1', companyId: 'co-1' }],
    });
    await expect(worker.runUntil(handle.result())).rejects.toThrow();
    expect(ledger.finished).toHaveLength(1);
    expect(ledger.finished[0]).toMatchObject({ status: 'failed', matched: 5, delivered: 0 });
    expect(ledger.finished[0].errors[0].message).toMatch(/the sweep failed/);
  });
});

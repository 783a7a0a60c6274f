import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { type Activities, type DeferredPartInput, type DeliverBatchResult, type FinishRunInput, workflowIds } from '../../src/contracts';
import { addDays, todayIn } from '../../src/domain/dates';
import { nextOpening, type SendWindow, zonedInstant } from '../../src/domain/send-window';
import { reminderDeferredDeliveries, reminderSweep } from '../../src/workflows/reminder-sweep.workflow';
import { testEnv } from '../support/env';
import { productWorkflows } from '../support/workflows';

type SweepActivities = Pick<Activities, 'startRun' | 'findMatchingPage' | 'deliverBatch' | 'finishRun' | 'recordDeferredPart'>;

const TZ = 'America/Toronto';
const WINDOW: SendWindow = { from: '08:00', to: '18:00', days: ['mon', 'tue', 'wed', 'thu', 'fri'] };

/**
 * Customer emails of `ids`, judged against the send window on the test server's clock (as the real deliverBatch does
 * on the worker's), and sent through an outbox of one key per record: a second delivery of a record is skipped.
 */
function windowedLedger(env: TestWorkflowEnvironment, ids: string[]) {
  const sent = new Map<string, Date>();
  const finished: FinishRunInput[] = [];
  const parts: DeferredPartInput[] = [];
  const deliverCalls: string[][] = [];
  const activities: SweepActivities = {
    async startRun() {
      return { runRecordId: `run-${Math.random()}`, asOf: new Date(await env.currentTimeMs()).toISOString(), notLive: null };
    },
    async findMatchingPage({ limit }) {
      return { ids: ids.slice(0, limit), nextCursor: null, queryMs: 1 };
    },
    async deliverBatch({ recordIds }) {
      deliverCalls.push(recordIds);
      const now = new Date(await env.currentTimeMs());
      const result: DeliverBatchResult = { stillMatching: recordIds.length, delivered: 0, skipped: 0, failed: 0, errors: [], deferred: [] };
      for (const id of recordIds) {
        const opens = nextOpening(WINDOW, TZ, now);
        if (opens > now) result.deferred!.push({ recordId: id, at: opens.toISOString() });
        else if (sent.has(id)) result.skipped += 1;
        else {
          sent.set(id, now);
          result.delivered += 1;
        }
      }
      return result;
    },
    async finishRun(input) {
      finished.push(input);
    },
    async recordDeferredPart(input) {
      parts.push(input);
    },
  };
  return { activities, sent, finished, parts, deliverCalls };
}

describe('reminderSweep in a send window', () => {
  let env: TestWorkflowEnvironment;
  let queue = 0;

  // A test server each: after a test whose sweep handed its deliveries to a child, the shared server's clock no longer
  // skipped ahead for the next test's env.sleep (cause not found in the test server); separate servers keep them apart.
  beforeEach(async () => {
    env = await TestWorkflowEnvironment.createTimeSkipping({
      server: { executable: { type: 'existing-path', path: testEnv().temporalTestServerPath } },
    });
  });
  afterEach(() => env?.teardown());

  /** Moves the test server's clock to the next `weekday` (0 = Sunday) at `time` in Toronto, at least a day ahead. */
  async function skipTo(weekday: number, time: string): Promise<Date> {
    const now = await env.currentTimeMs();
    let day = addDays(todayIn(TZ, new Date(now)), 1);
    while (new Date(`${day}T12:00:00Z`).getUTCDay() !== weekday) day = addDays(day, 1);
    const target = zonedInstant(day, time, TZ);
    await env.sleep(target.getTime() - now);
    return target;
  }

  /** `sticky: false`: the worker keeps no workflow cached (the test server never hands a dead worker's sticky task to another). */
  function worker(activities: SweepActivities, taskQueue: string, options: { sticky?: boolean } = {}) {
    return Worker.create({
      connection: env.nativeConnection, taskQueue, ...productWorkflows(), activities,
      ...(options.sticky === false ? { maxCachedWorkflows: 0 } : {}),
    });
  }

  /** A sweep, and the workflow it handed its deferred deliveries to (its result once they went). */
  async function sweep(ledger: ReturnType<typeof windowedLedger>, workflowId: string) {
    const taskQueue = `window-${(queue += 1)}`;
    const w = await worker(ledger.activities, taskQueue);
    const handle = await env.client.workflow.start(reminderSweep, { taskQueue, workflowId, args: [{ definitionId: 'def-1', companyId: 'co-1' }] });
    return w.runUntil(async () => {
      const result = await handle.result();
      const endedAt = (await handle.describe()).closeTime!;
      const deferred = env.client.workflow.getHandle<typeof reminderDeferredDeliveries>(workflowIds.reminderDeferredDeliveries(workflowId, 0));
      return { result, endedAt, handle, deferred: result.deferred ? await deferred.result() : null };
    });
  }

  it('holds a delivery due at 07:00 on Monday until 08:00, counted deferred while it waits, and the run ends at once', async () => {
    const due = await skipTo(1, '07:00');
    const ledger = windowedLedger(env, ['inv-1', 'inv-2']);
    const { result, endedAt, deferred } = await sweep(ledger, 'window-monday');
    const eight = zonedInstant(todayIn(TZ, due), '08:00', TZ);
    expect([...ledger.sent.keys()]).toEqual(['inv-1', 'inv-2']);
    for (const at of ledger.sent.values()) {
      expect(at.getTime()).toBeGreaterThanOrEqual(eight.getTime());
      expect(at.getTime() - eight.getTime()).toBeLessThan(60_000); // at 08:00, to the minute
    }
    // The run ended before the window opened (the schedule's next firing is not held behind it) ...
    expect(endedAt.getTime()).toBeLessThan(eight.getTime());
    expect(result).toMatchObject({ outcome: 'completed', matched: 2, delivered: 0, deferred: 2 });
    expect(ledger.finished).toEqual([expect.objectContaining({ status: 'completed', delivered: 0, matched: 2 })]);
    // ... and the two deliveries were counted on it as waiting, then as delivered, by the workflow that waited.
    const part = workflowIds.reminderDeferredDeliveries('window-monday', 0);
    expect(ledger.parts.map((p) => [p.part, p.deferred, p.delivered])).toEqual([[part, 2, 0], [part, 0, 2]]);
    expect(ledger.parts.every((p) => p.runRecordId === ledger.finished[0].runRecordId)).toBe(true);
    expect(ledger.deliverCalls).toEqual([['inv-1', 'inv-2'], ['inv-1', 'inv-2']]);
    expect(deferred).toMatchObject({ delivered: 2, skipped: 0, failed: 0, gaveUp: 0 });
  });

  it("holds a delivery due on Saturday until Monday 08:00, and the Saturday run itself ends on Saturday (the schedule's Sunday firing is not skipped behind it)", async () => {
    const due = await skipTo(6, '10:00');
    const ledger = windowedLedger(env, ['inv-sat']);
    const { result, endedAt, deferred } = await sweep(ledger, 'window-saturday');
    const monday = zonedInstant(addDays(todayIn(TZ, due), 2), '08:00', TZ);
    const at = ledger.sent.get('inv-sat')!;
    expect(todayIn(TZ, at)).toBe(addDays(todayIn(TZ, due), 2));
    expect(at.getTime() - monday.getTime()).toBeGreaterThanOrEqual(0);
    expect(at.getTime() - monday.getTime()).toBeLessThan(60_000);
    expect(todayIn(TZ, endedAt)).toBe(todayIn(TZ, due)); // the Saturday run ended on Saturday
    expect(result).toMatchObject({ delivered: 0, deferred: 1 });
    expect(deferred).toMatchObject({ delivered: 1 });
  });

  it('sends nothing at once and nothing twice when its worker restarts mid-wait', async () => {
    await skipTo(0, '15:00'); // Sunday afternoon
    const ledger = windowedLedger(env, ['inv-a', 'inv-b', 'inv-c']);
    const taskQueue = `window-restart-${(queue += 1)}`;
    const handle = await env.client.workflow.start(reminderSweep, {
      taskQueue, workflowId: 'window-restart', args: [{ definitionId: 'def-1', companyId: 'co-1' }],
    });
    const deferred = env.client.workflow.getHandle<typeof reminderDeferredDeliveries>(workflowIds.reminderDeferredDeliveries('window-restart', 0));
    // The first worker takes the sweep to its end and its deferred deliveries as far as their timer, then goes away.
    const first = await worker(ledger.activities, taskQueue, { sticky: false });
    const result = await first.runUntil(async () => {
      const ended = await handle.result();
      for (;;) {
        const events = (await deferred.fetchHistory()).events ?? [];
        if (events.some((e) => e.timerStartedEventAttributes)) return ended;
        await new Promise((r) => setTimeout(r, 50));
      }
    });
    expect(result).toMatchObject({ delivered: 0, skipped: 0, deferred: 3 });
    expect(ledger.sent.size).toBe(0);
    // A new worker takes them up from their history: the timer still runs, and fires once.
    const again = await worker({ ...ledger.activities }, taskQueue);
    expect(await again.runUntil(deferred.result())).toMatchObject({ delivered: 3, skipped: 0, gaveUp: 0 });
    expect([...ledger.sent.keys()].sort()).toEqual(['inv-a', 'inv-b', 'inv-c']);
    const monday = new Set([...ledger.sent.values()].map((d) => todayIn(TZ, d)));
    expect(monday.size).toBe(1);
    expect(new Date(`${[...monday][0]}T12:00:00Z`).getUTCDay()).toBe(1);
    const eight = zonedInstant([...monday][0], '08:00', TZ).getTime();
    for (const at of ledger.sent.values()) expect(at.getTime() - eight).toBeGreaterThanOrEqual(0);
    for (const at of ledger.sent.values()) expect(at.getTime() - eight).toBeLessThan(60_000);
    // The replay after the restart scheduled no delivery again: one pass in the run, one at the opening.
    const scheduled = async (h: { fetchHistory: typeof handle.fetchHistory }) => ((await h.fetchHistory()).events ?? [])
      .filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'deliverBatch').length;
    expect([await scheduled(handle), await scheduled(deferred)]).toEqual([1, 1]);
    // A sweep run again once the window is open finds every email already sent.
    const later = await (await worker({ ...ledger.activities }, taskQueue)).runUntil(env.client.workflow.execute(reminderSweep, {
      taskQueue, workflowId: 'window-restart-run-now', args: [{ definitionId: 'def-1', companyId: 'co-1', trigger: 'run-now' }],
    }));
    expect(later).toMatchObject({ delivered: 0, skipped: 3 });
    expect(ledger.sent.size).toBe(3);
  });
});

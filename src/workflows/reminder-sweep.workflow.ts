import { allHandlersFinished, condition, continueAsNew, patched, proxyActivities, proxyLocalActivities, setHandler, sleep, workflowInfo } from '@temporalio/workflow';
import {
  type DeferredDelivery, type DeliveryActivities, type ReminderSweepInput, type ReminderSweepResult, type RunError, type SweepActivities, sweepProgressQuery,
  type SweepTotals,
} from '../contracts';

const activityOptions = {
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 10 },
} as const;
// The run's own statements (its row, a page's query): local activities, so that a firing with nothing or one batch to
// deliver is one or two workflow tasks, not one per statement (bench:scale: the Temporal server's CPU per firing).
// Runs started before the `sweep-local-steps` patch replay with them as activities.
const runSteps = proxyActivities<SweepActivities>({ ...activityOptions, startToCloseTimeout: '1 minute' });
const localRunSteps = proxyLocalActivities<SweepActivities>({ ...activityOptions, startToCloseTimeout: '1 minute' });
// A batch heartbeats after each record: a worker that died is noticed within the heartbeat timeout, and its batch is
// taken again by another (the outbox makes the retry redo nothing that was done).
const { deliverBatch } = proxyActivities<DeliveryActivities>({ ...activityOptions, startToCloseTimeout: '5 minutes', heartbeatTimeout: '20 seconds' });

/**
 * Records per page: one indexed query each. Pages are larger than delivery batches because each query has a
 * fixed cost (round trip, planning) that many small pages would multiply; batches stay small so that a retried
 * batch redoes little.
 */
export const SWEEP_PAGE_SIZE = 1000;
/** Records per delivery activity. */
export const SWEEP_BATCH_SIZE = 200;
/** Pages per run before continuing as new, which keeps the history bounded whatever the ledger size. */
export const SWEEP_PAGES_PER_RUN = 10;
const MAX_ERRORS = 100;
/** Openings waited for per run before giving up on the rest (each a timer; a window that keeps closing is a bug). */
const MAX_WINDOW_WAITS = 20;

function emptyTotals(): SweepTotals {
  return { matched: 0, delivered: 0, skipped: 0, failed: 0, pages: 0, queryMs: 0, errors: [] };
}

function counts(t: SweepTotals) {
  return { matched: t.matched, delivered: t.delivered, skipped: t.skipped, failed: t.failed };
}

/**
 * One firing of a reminder: records the run, pages through the matching records (keyset, one indexed query per
 * page), delivers each page in batch activities, and continues as new every few pages carrying cursor and totals.
 */
export async function reminderSweep(input: ReminderSweepInput): Promise<ReminderSweepResult> {
  const { startRun, findMatchingPage, finishRun, recordRunDeferred } = patched('sweep-local-steps') ? localRunSteps : runSteps;
  const { definitionId, companyId } = input;
  const pageSize = input.pageSize ?? SWEEP_PAGE_SIZE;
  const batchSize = input.batchSize ?? SWEEP_BATCH_SIZE;
  const pagesPerRun = input.pagesPerRun ?? SWEEP_PAGES_PER_RUN;
  const continuedAsNew = input.continuedAsNew ?? 0;
  const totals: SweepTotals = input.totals ? { ...input.totals, errors: [...input.totals.errors] } : emptyTotals();
  setHandler(sweepProgressQuery, () => ({ ...totals, continuedAsNew }));

  let runRecordId = input.runRecordId;
  let asOf = input.asOf;
  if (!runRecordId || !asOf) {
    const started = await startRun({ definitionId, companyId, kind: input.kind ?? 'sweep', trigger: input.trigger ?? 'schedule' });
    if (!started) return { runRecordId: null, outcome: 'definition-missing', continuedAsNew, ...totals };
    runRecordId = started.runRecordId;
    asOf = started.asOf;
    if (started.notLive) {
      totals.errors.push({ message: `nothing delivered: ${started.notLive}` });
      await finishRun({ runRecordId, status: 'completed', ...counts(totals), errors: totals.errors });
      return { runRecordId, outcome: 'not-live', continuedAsNew, ...totals };
    }
  }

  let cursor = input.cursor ?? null;
  const note = (error: RunError) => {
    if (totals.errors.length < MAX_ERRORS) totals.errors.push(error);
  };
  // Customer emails due outside the send window: delivered again when it opens (this run's, before it ends).
  let waiting: DeferredDelivery[] = [];
  const deliver = async (recordIds: string[]) => {
    const delivered = await deliverBatch({ runRecordId, definitionId, companyId, asOf, recordIds });
    totals.delivered += delivered.delivered;
    totals.skipped += delivered.skipped;
    totals.failed += delivered.failed;
    delivered.errors.forEach(note);
    if (delivered.deferred?.length && patched('send-window')) waiting.push(...delivered.deferred);
  };
  try {
    for (let page = 0; page < pagesPerRun; page += 1) {
      const found = await findMatchingPage({ definitionId, companyId, asOf, cursor, limit: pageSize, recordIds: input.recordIds });
      totals.pages += 1;
      totals.queryMs += found.queryMs;
      totals.matched += found.ids.length;
      if (found.stopped) note({ message: `stopped early: ${found.stopped}` });
      for (let i = 0; i < found.ids.length; i += batchSize) await deliver(found.ids.slice(i, i + batchSize));
      cursor = found.nextCursor;
      if (!cursor || workflowInfo().continueAsNewSuggested) break;
    }
    // A durable timer to each opening, earliest first; a delivery is taken again only at its opening, and the outbox
    // keys keep a retried or overlapping delivery from going twice.
    for (let wait = 0; waiting.length > 0; wait += 1) {
      if (wait >= MAX_WINDOW_WAITS) {
        note({ message: `${waiting.length} deliveries still outside the send window after ${MAX_WINDOW_WAITS} openings; left for the next run` });
        break;
      }
      totals.deferred = waiting.length;
      await recordRunDeferred({ runRecordId, deferred: waiting.length, ...counts(totals) });
      const at = waiting.reduce((min, d) => (d.at < min ? d.at : min), waiting[0].at);
      const due = waiting.filter((d) => d.at === at).map((d) => d.recordId);
      waiting = waiting.filter((d) => d.at !== at);
      await sleep(Math.max(0, Date.parse(at) - Date.now()));
      for (let i = 0; i < due.length; i += batchSize) await deliver(due.slice(i, i + batchSize));
      totals.deferred = waiting.length;
    }
  } catch (err) {
    note({ message: `the sweep failed: ${err instanceof Error ? err.message : String(err)}` });
    await finishRun({ runRecordId, status: 'failed', ...counts(totals), errors: totals.errors });
    throw err;
  }

  await condition(allHandlersFinished);
  if (cursor) {
    return continueAsNew<typeof reminderSweep>({ ...input, asOf, runRecordId, cursor, totals, continuedAsNew: continuedAsNew + 1 });
  }
  await finishRun({ runRecordId, status: 'completed', ...counts(totals), errors: totals.errors });
  return { runRecordId, outcome: 'completed', continuedAsNew, ...totals };
}

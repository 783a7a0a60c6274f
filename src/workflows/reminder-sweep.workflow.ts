import {
  allHandlersFinished, condition, continueAsNew, ParentClosePolicy, proxyActivities, proxyLocalActivities, setHandler, sleep, startChild, workflowInfo,
} from '@temporalio/workflow';
import {
  type DeferredDeliveriesInput, type DeferredDeliveriesResult, type DeferredDelivery, type DeliveryActivities, type ReminderSweepInput,
  type ReminderSweepResult, type RunError, searchAttributes, type SweepActivities, sweepProgressQuery, type SweepTotals, workflowIds,
} from '../contracts';

const activityOptions = {
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 10 },
} as const;
// The run's own statements (its row, a page's query): local activities, so that a firing with nothing or one batch to
// deliver is one or two workflow tasks, not one per statement (bench:scale: the Temporal server's CPU per firing).
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
  const { startRun, findMatchingPage, finishRun, recordDeferredPart } = localRunSteps;
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
  // Customer emails due outside the send window: delivered again when it opens.
  const waiting: DeferredDelivery[] = [];
  const deliver = async (recordIds: string[]) => {
    const delivered = await deliverBatch({ runRecordId, definitionId, companyId, asOf, recordIds });
    totals.delivered += delivered.delivered;
    totals.skipped += delivered.skipped;
    totals.failed += delivered.failed;
    delivered.errors.forEach(note);
    if (delivered.deferred?.length) waiting.push(...delivered.deferred);
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
    if (waiting.length > 0) {
      // Handed over to a workflow of their own: the run ends now, so the schedule's next firing (overlap SKIP) is
      // not skipped while these wait, maybe days, for their customers' openings.
      const part = workflowIds.reminderDeferredDeliveries(workflowInfo().workflowId, continuedAsNew);
      await recordDeferredPart({ runRecordId, part, deferred: waiting.length, delivered: 0, skipped: 0, failed: 0, errors: [] });
      await startChild(reminderDeferredDeliveries, {
        workflowId: part, parentClosePolicy: ParentClosePolicy.ABANDON, typedSearchAttributes: ownSearchAttributes(),
        staticSummary: `${waiting.length} reminder deliveries waiting for the send window`,
        args: [{ definitionId, companyId, runRecordId, asOf, waiting, batchSize }],
      });
      totals.deferred = (totals.deferred ?? 0) + waiting.length;
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

/** The run's definition and company search attributes, for the workflows it starts (none in tests that set none). */
function ownSearchAttributes() {
  const own = workflowInfo().typedSearchAttributes;
  return [searchAttributes.workflowDefinitionId, searchAttributes.companyId].flatMap((key) => {
    const value = own.get(key);
    return value === undefined ? [] : [{ key, value }];
  });
}

interface OpeningHooks {
  /** Delivers the records due at an opening; those the window holds back again go back to the queue. */
  deliver: (recordIds: string[]) => Promise<void>;
  /** After each opening's deliveries. */
  afterOpening?: () => Promise<void>;
  gaveUp: (count: number) => void;
}

/**
 * A durable timer to each opening, earliest first; a delivery is taken again only at its opening, and the outbox keys
 * keep a retried or overlapping delivery from going twice.
 */
async function atOpenings(queue: { waiting: DeferredDelivery[] }, batchSize: number, hooks: OpeningHooks): Promise<void> {
  for (let wait = 0; queue.waiting.length > 0; wait += 1) {
    if (wait >= MAX_WINDOW_WAITS) {
      hooks.gaveUp(queue.waiting.length);
      return;
    }
    const at = queue.waiting.reduce((min, d) => (d.at < min ? d.at : min), queue.waiting[0].at);
    const due = queue.waiting.filter((d) => d.at === at).map((d) => d.recordId);
    queue.waiting = queue.waiting.filter((d) => d.at !== at);
    await sleep(Math.max(0, Date.parse(at) - Date.now()));
    for (let i = 0; i < due.length; i += batchSize) await hooks.deliver(due.slice(i, i + batchSize));
    await hooks.afterOpening?.();
  }
}

/**
 * The customer emails of a sweep's run that waited for the send window: delivered at each opening, as the run would
 * have delivered them (its instant, its run record), its counts recorded on the run under this workflow's id.
 */
export async function reminderDeferredDeliveries(input: DeferredDeliveriesInput): Promise<DeferredDeliveriesResult> {
  const { definitionId, companyId, runRecordId, asOf } = input;
  const batchSize = input.batchSize ?? SWEEP_BATCH_SIZE;
  const part = workflowInfo().workflowId;
  const result: DeferredDeliveriesResult = { delivered: 0, skipped: 0, failed: 0, gaveUp: 0, errors: [] };
  const queue = { waiting: [...input.waiting] };
  const record = () => localRunSteps.recordDeferredPart({
    runRecordId, part, deferred: queue.waiting.length, delivered: result.delivered, skipped: result.skipped, failed: result.failed, errors: result.errors,
  });
  await atOpenings(queue, batchSize, {
    deliver: async (recordIds) => {
      const delivered = await deliverBatch({ runRecordId, definitionId, companyId, asOf, recordIds });
      result.delivered += delivered.delivered;
      result.skipped += delivered.skipped;
      result.failed += delivered.failed;
      for (const error of delivered.errors) if (result.errors.length < MAX_ERRORS) result.errors.push(error);
      queue.waiting.push(...(delivered.deferred ?? []));
    },
    afterOpening: record,
    gaveUp: (count) => {
      result.gaveUp = count;
      result.errors.push({ message: `${count} deliveries still outside the send window after ${MAX_WINDOW_WAITS} openings; not sent` });
      queue.waiting = [];
    },
  });
  if (result.gaveUp > 0) await record();
  return result;
}

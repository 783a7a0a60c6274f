import { Client, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import { approvalStateQuery, decideUpdate } from '../contracts';
import { ApprovalsRepository, type DecisionCursor, type RecordedDecision } from '../db/approvals.repository';
import { errorFields, type Logger } from '../infra/logger';
import { payloadDataConverter } from '../infra/payload-codec';
import { retoldDecision, waitsForRecorded } from '../infra/recorded-decisions';
import { RelanceConnection, temporalConnectionOptions } from '../infra/temporal-connection';
import type { Config } from '../config';

/**
 * A worker's first look reads the decisions of this long ago (the later ones read only what became old enough since),
 * and a run it could not ask is asked again for this long: a run left waiting longer is left to the decider asking
 * again and to its deadline.
 */
const LOOK_BACK_MS = 24 * 3_600_000;
const PAGE = 100;
/** The longest a query or the retold Update may take (a live decision is waited for 15 s by the API). */
const CALL_DEADLINE_MS = 15_000;
/**
 * How far before the last look's end the next one starts reading again: a decision's time is its statement's start,
 * and it may become visible later (a statement waits up to its 30-second timeout for a lock; a commit may wait more).
 */
const REREAD_MS = 5 * 60_000;
/** Runs asked at once: one that does not answer (its workers down) holds up no other for longer than a call's deadline. */
const AT_ONCE = 8;
/** Runs known to have heard their decision, not asked again; forgotten all at once past this many. */
const REMEMBERED = 10_000;

/** What the reconciler needs of Postgres and of Temporal (the real ones, or a test's). */
export interface LostDecisionSources {
  approvals: Pick<ApprovalsRepository, 'findUnendedDecisions' | 'decidedBefore'>;
  client: Pick<Client, 'workflow'>;
  /** Runs one call to Temporal under a deadline (the connection's `withDeadline`). */
  withinDeadline<T>(call: () => Promise<T>): Promise<T>;
  minAgeMs: number;
  logger: Pick<Logger, 'warn' | 'error'>;
}

/**
 * The worker's half of lost decisions: a decision Postgres holds whose `decide` Update the Temporal server lost with
 * the workflow task that recorded it leaves the run waiting, the document decided, and the outcome untold until the
 * decider asks again (the API's half) or the deadline passes. A look (`tick`) takes the approvals decided more than
 * `minAgeMs` ago (the first look: less than a day ago; each next one: what became that old since the last one, and
 * `REREAD_MS` before) whose run has not ended and that are still their document's latest submission, asks each run
 * whether it still waits at the decided step, and if so tells it the recorded decision (bound to that step); answers
 * the workflow ids it told. Several workers may look at once: the Update's id is the same for every
 * teller, so the server runs it once. Only the decision that ended an approval is told again: a lost decision of an
 * earlier step (the approval still pending in Postgres) is not, nor the lost votes of a quorum that the ending one
 * counted on; such a run waits for its deadline, which ends it without telling an outcome.
 */
export function lostDecisionReconciler({ approvals, client, withinDeadline, minAgeMs, logger }: LostDecisionSources): { tick(): Promise<string[]>; stop(): void } {
  const heard = new Set<string>();
  let stopped = false;

  function remember(workflowId: string): void {
    if (heard.size >= REMEMBERED) heard.clear();
    heard.add(workflowId);
  }

  /** Tells the run the recorded decision when it still waits for it; answers whether it did. */
  async function retell(recorded: RecordedDecision): Promise<boolean> {
    const handle = client.workflow.getHandle(recorded.workflowId);
    const state = await withinDeadline(() => handle.query(approvalStateQuery));
    if (!waitsForRecorded(state, recorded)) return false;
    logger.warn(`[worker] ${recorded.workflowId} waits for the ${recorded.decision} decision Postgres recorded at ${recorded.decidedAt.toISOString()} ` +
      '(its Update was lost): telling it again', { workflowId: recorded.workflowId, approvalId: recorded.approvalId });
    const settled = await withinDeadline(() => handle.executeUpdate(decideUpdate, retoldDecision(recorded)));
    if (waitsForRecorded(settled, recorded)) {
      // A vote of a quorum that counted on others' lost votes too: told again, it does not end the step.
      logger.error(`[worker] ${recorded.workflowId} was told its recorded decision and still waits at step ${recorded.step + 1} ` +
        '(a quorum whose other votes were lost too): left to its deadline',
        { workflowId: recorded.workflowId, approvalId: recorded.approvalId });
      return false;
    }
    return true;
  }

  /** Asks one run: told, needs nothing more (not asked again), or could not be asked (asked again at the next look). */
  async function look(recorded: RecordedDecision): Promise<'told' | 'done' | 'again'> {
    try {
      const told = await retell(recorded);
      // Told, heard already (its outcome notice may still be retrying), or left waiting as it is: nothing more to do.
      remember(recorded.workflowId);
      return told ? 'told' : 'done';
    } catch (err) {
      if (err instanceof WorkflowNotFoundError || err instanceof WorkflowUpdateFailedError) {
        // Gone (or closed without its decision: terminated, timed out), or it refused the decision (the decider's seat
        // is gone since): left to its deadline, if any.
        logger.warn(`[worker] ${recorded.workflowId} could not be told its recorded decision: ${(err as Error).message}`, { workflowId: recorded.workflowId });
        remember(recorded.workflowId);
        return 'done';
      }
      // Temporal unreachable or the run's workers not answering: the next look asks again.
      logger.error(`[worker] could not ask ${recorded.workflowId} about its recorded decision: ${(err as Error).message}`, errorFields(err as Error));
      return 'again';
    }
  }

  /**
   * Where the next look starts: the first look reads the whole look-back; each next one what became old enough since
   * the last one, and `REREAD_MS` before (a decision may become visible a while after its `decided_at`: its statement
   * waited for a lock, or its commit). Runs that could not be asked are kept and asked again at each next look.
   */
  let from: DecisionCursor | undefined;
  const askAgain = new Map<string, RecordedDecision>();

  async function ask(rows: RecordedDecision[], told: string[]): Promise<void> {
    const waiting = rows.filter((r) => !heard.has(r.workflowId));
    for (let i = 0; i < waiting.length && !stopped; i += AT_ONCE) {
      const batch = waiting.slice(i, i + AT_ONCE);
      const answers = await Promise.all(batch.map(look));
      batch.forEach((r, j) => {
        if (answers[j] === 'told') told.push(r.workflowId);
        if (answers[j] === 'again' && askAgain.size < REMEMBERED) askAgain.set(r.workflowId, r);
        else askAgain.delete(r.workflowId);
      });
    }
  }

  async function tick(): Promise<string[]> {
    const told: string[] = [];
    const { upTo, rereadFrom } = await approvals.decidedBefore(minAgeMs, REREAD_MS);
    const oldest = Date.now() - LOOK_BACK_MS;
    for (const [workflowId, r] of askAgain) if (r.decidedAt.getTime() < oldest) askAgain.delete(workflowId);
    await ask([...askAgain.values()], told);
    let after = from;
    while (!stopped) {
      const page = await approvals.findUnendedDecisions({ upTo, maxAgeMs: LOOK_BACK_MS, limit: PAGE, after });
      await ask(page.filter((r) => !askAgain.has(r.workflowId)), told);
      if (page.length < PAGE) break;
      after = page[page.length - 1];
    }
    if (!stopped) from = rereadFrom;
    return told;
  }

  return { tick, stop: () => { stopped = true; } };
}

/** The reconciler of this worker, looking every `lostDecisions.intervalMs` (never when 0). */
export function startLostDecisionReconciler(
  config: Pick<Config, 'temporalAddress' | 'temporalNamespace' | 'lostDecisions'> & Partial<Pick<Config, 'temporalTls' | 'temporalApiKey' | 'payloadKeys'>>,
  dataSource: DataSource,
  logger: Logger,
): { stop(): Promise<void> } {
  const connection = RelanceConnection.lazyTo(config.temporalNamespace, temporalConnectionOptions(config));
  const client = new Client({ connection, namespace: config.temporalNamespace, dataConverter: payloadDataConverter(config.payloadKeys) });
  const reconciler = lostDecisionReconciler({
    approvals: new ApprovalsRepository(dataSource), client, minAgeMs: config.lostDecisions.minAgeMs, logger,
    withinDeadline: (call) => connection.withDeadline(Date.now() + CALL_DEADLINE_MS, call),
  });
  const { intervalMs } = config.lostDecisions;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;

  const schedule = () => {
    timer = setTimeout(() => {
      running = reconciler.tick()
        .catch((err: Error) => logger.error(`[worker] looking for lost decisions failed, will retry: ${err.message}`, errorFields(err)))
        .finally(() => { if (!stopped) schedule(); });
    }, intervalMs);
  };
  if (intervalMs > 0) schedule();

  return {
    async stop() {
      stopped = true;
      reconciler.stop();
      clearTimeout(timer);
      await running;
      await connection.close();
    },
  };
}

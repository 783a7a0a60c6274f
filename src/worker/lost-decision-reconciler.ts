import { Client, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import { type ApprovalState, approvalStateQuery, decideUpdate } from '../contracts';
import { ApprovalsRepository, type RecordedDecision } from '../db/approvals.repository';
import { errorFields, type Logger } from '../infra/logger';
import { payloadDataConverter } from '../infra/payload-codec';
import { retoldDecision, waitsForRecorded } from '../infra/recorded-decisions';
import { RelanceConnection, temporalConnectionOptions } from '../infra/temporal-connection';
import type { Config } from '../config';

/** Decisions older than this are not looked at: a run left waiting that long has been told, or its deadline decides. */
const LOOK_BACK_MS = 24 * 3_600_000;
const PAGE = 100;
/** Runs known to have heard their decision, not asked again; forgotten all at once past this many. */
const REMEMBERED = 10_000;

/** What the reconciler needs of Postgres and of Temporal (the real ones, or a test's). */
export interface LostDecisionSources {
  approvals: Pick<ApprovalsRepository, 'findUnendedDecisions'>;
  client: Pick<Client, 'workflow'>;
  minAgeMs: number;
  logger: Pick<Logger, 'warn' | 'error'>;
}

/**
 * The worker's half of lost decisions: a decision Postgres holds whose `decide` Update the Temporal server lost with
 * the workflow task that recorded it leaves the run waiting, the document decided, and the outcome untold until the
 * decider asks again (the API's half) or the deadline passes. A look (`tick`) takes the approvals decided more than
 * `minAgeMs` ago (and less than a day) whose run has not ended, asks each run whether it still waits at the decided
 * step, and if so tells it the recorded decision; answers the workflow ids it told. Several workers may look at once:
 * the Update's id is the same for every teller, so the server runs it once.
 */
export function lostDecisionReconciler({ approvals, client, minAgeMs, logger }: LostDecisionSources): { tick(): Promise<string[]>; stop(): void } {
  const heard = new Set<string>();
  let stopped = false;

  /** Tells the run the recorded decision when it still waits for it; answers whether it did. */
  async function retell(recorded: RecordedDecision): Promise<boolean> {
    const handle = client.workflow.getHandle(recorded.workflowId);
    let state: ApprovalState;
    try {
      state = await handle.query(approvalStateQuery);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return false;
      throw err;
    }
    if (!waitsForRecorded(state, recorded)) return false;
    logger.warn(`[worker] ${recorded.workflowId} waits for the ${recorded.decision} decision Postgres recorded at ${recorded.decidedAt.toISOString()} ` +
      '(its Update was lost): telling it again', { workflowId: recorded.workflowId, approvalId: recorded.approvalId });
    await handle.executeUpdate(decideUpdate, retoldDecision(recorded));
    return true;
  }

  function remember(workflowId: string): void {
    if (heard.size >= REMEMBERED) heard.clear();
    heard.add(workflowId);
  }

  async function tick(): Promise<string[]> {
    const told: string[] = [];
    let after: RecordedDecision | undefined;
    for (;;) {
      const page = await approvals.findUnendedDecisions({ minAgeMs, maxAgeMs: LOOK_BACK_MS, limit: PAGE, after });
      for (const recorded of page) {
        if (stopped) return told;
        if (heard.has(recorded.workflowId)) continue;
        try {
          if (await retell(recorded)) told.push(recorded.workflowId);
          // Not waiting: it heard (its outcome notice may still be retrying), or it is gone. Never asked again.
          else remember(recorded.workflowId);
        } catch (err) {
          // Temporal unreachable: the next look asks again. A refused Update (the decider's seat is gone since) is left to the deadline.
          logger.error(`[worker] could not tell ${recorded.workflowId} its recorded decision: ${(err as Error).message}`, errorFields(err as Error));
          if (err instanceof WorkflowUpdateFailedError) remember(recorded.workflowId);
        }
      }
      if (page.length < PAGE) return told;
      after = page[page.length - 1];
    }
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
  const reconciler = lostDecisionReconciler({ approvals: new ApprovalsRepository(dataSource), client, minAgeMs: config.lostDecisions.minAgeMs, logger });
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

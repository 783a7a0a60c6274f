import type { Pool, PoolClient } from 'pg';
import type { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import type { DeliveryChannel } from './entities';
import { preparedSql, type Sql } from './sql';

/**
 * Whose delivery a row is: an approval (company, definition, invoice and run are read from the approval and its
 * latest run), a reminder run's record, or a record of the company outside any run (an invoice sent through the API).
 */
export type DeliveryOwner =
  | { approvalId: string }
  | { companyId: string; definitionId: string; runId: string; recordType: string; recordId: string }
  | { companyId: string; recordType: string; recordId: string };

/** One row of `deliveries`, named by its unique key. */
export interface DeliveryRow {
  key: string;
  owner: DeliveryOwner;
  occurrence: string;
  channel: DeliveryChannel;
  recipient: string;
}

/** What a claim found: the row is now this caller's (`claimed`), or it was there already, in this state. */
export type Claim =
  | { claimed: true }
  | { claimed: false; status: 'pending' | 'sent' | 'failed' | 'skipped'; runId: string | null }
  | { claimed: false; status: null; runId: null };

/**
 * What a claim takes: a row surely not sent (`failed`, or `skipped` by an earlier plan: a skip never holds the key for
 * good), and also a `pending` one when `retakePending`. `token`,
 * unique to the claim, names the rows it took, for `release`.
 */
export interface ClaimOptions {
  status: 'pending' | 'sent';
  retakePending: boolean;
  token: string;
}

/**
 * A database effect written as one statement to run beside the claim, e.g. `INSERT INTO tasks (...) SELECT $1, $2
 * WHERE EXISTS (SELECT 1 FROM claimed)`: it must act only when `claimed` has a row. Its placeholders start at `$1`.
 */
export interface ClaimedEffect {
  sql: string;
  params: unknown[];
}

const ROW_COLUMNS = `company_id, definition_id, run_id, record_type, record_id, occurrence, channel, recipient, status, attempts, delivery_key, sent_at, claim`;

// A row surely not sent is taken again; a pending one only when the policy resends. The existing row answers
// otherwise (the outer SELECT sees the table as it was before the INSERT).
const CLAIM_TAIL = `
  ON CONFLICT (delivery_key) DO UPDATE SET status = EXCLUDED.status, attempts = deliveries.attempts + 1, error = NULL, skip_reason = NULL,
         run_id = EXCLUDED.run_id, sent_at = EXCLUDED.sent_at, claim = EXCLUDED.claim, created_at = date_trunc('milliseconds', now())
   WHERE deliveries.status IN ('failed', 'skipped') OR (deliveries.status = 'pending' AND $6::boolean)
  RETURNING 1)`;
const CLAIM_ANSWER = `
SELECT true AS claimed, NULL::text AS status, NULL::uuid AS run_id FROM claimed
UNION ALL
SELECT false, status, run_id FROM deliveries WHERE delivery_key = $1
LIMIT 1`;

const CLAIM_FOR_APPROVAL = `WITH claimed AS (
  INSERT INTO deliveries (${ROW_COLUMNS})
  SELECT a.company_id, a.definition_id,
         (SELECT r.id FROM workflow_runs r WHERE r.temporal_workflow_id = a.workflow_id ORDER BY r.started_at DESC LIMIT 1),
         a.record_type, coalesce(a.invoice_id, a.bill_id), $2, $3, $4, $5::text, 1, $1, CASE WHEN $5::text = 'sent' THEN now() END, $7::uuid
    FROM approvals a WHERE a.id = $8${CLAIM_TAIL}`;

const CLAIM_FOR_RUN = `WITH claimed AS (
  INSERT INTO deliveries (${ROW_COLUMNS})
  VALUES ($8, $9, $10, $11, $12, $2, $3, $4, $5::text, 1, $1, CASE WHEN $5::text = 'sent' THEN now() END, $7::uuid)${CLAIM_TAIL}`;

/** Every statement that writes `deliveries` (and those that read it for the outbox). */
export function createDeliveriesRepository(dataSource: DataSource) {
  const db = preparedSql(dataSource);

  function claimStatement(row: DeliveryRow, o: ClaimOptions, effect?: ClaimedEffect): { text: string; params: unknown[] } {
    const common = [row.key, row.occurrence, row.channel, row.recipient, o.status, o.retakePending, o.token];
    const w = row.owner;
    const [head, params] = 'approvalId' in w
      ? [CLAIM_FOR_APPROVAL, [...common, w.approvalId]]
      : [CLAIM_FOR_RUN, [...common, w.companyId, 'definitionId' in w ? w.definitionId : null, 'runId' in w ? w.runId : null, w.recordType, w.recordId]];
    if (!effect) return { text: head + CLAIM_ANSWER, params };
    // The effect's own placeholders follow the claim's.
    const shifted = effect.sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + params.length}`);
    return { text: `${head},\n effect AS (${shifted})${CLAIM_ANSWER}`, params: [...params, ...effect.params] };
  }

  function toClaim(r: { claimed: boolean; status: 'pending' | 'sent' | 'failed' | 'skipped' | null; run_id: string | null } | undefined): Claim {
    if (!r) return { claimed: false, status: null, runId: null };
    if (r.claimed) return { claimed: true };
    return { claimed: false, status: r.status, runId: r.run_id } as Claim;
  }

  return {
    /** Records the intent under its key (`pending`, or `sent` inside an effect's transaction). */
    async claim(row: DeliveryRow, o: ClaimOptions, tx: Sql = db): Promise<Claim> {
      const { text, params } = claimStatement(row, o);
      const [r] = await tx.query(text, params);
      return toClaim(r);
    },

    /**
     * Claims the row `sent` and applies `effect` in the same statement (one round trip, prepared): the effect is a
     * statement beside the CTE `claimed`, which has a row when this call took the delivery.
     */
    async claimWith(row: DeliveryRow, o: ClaimOptions, effect: ClaimedEffect): Promise<Claim> {
      const { text, params } = claimStatement(row, o, effect);
      const [r] = await db.query(text, params);
      return toClaim(r);
    },

    /** The effect happened: the row is `sent`. */
    async markSent(key: string, tx: Sql = db): Promise<void> {
      await tx.query(`UPDATE deliveries SET status = 'sent', sent_at = now(), error = NULL WHERE delivery_key = $1`, [key]);
    },

    /**
     * The effect surely did not happen: the claim `token` is given up (`failed`, with why), so that a retry or a later
     * run takes the row again. A row that the claim did not take (its statement may not have landed) is left alone.
     */
    async release(key: string, token: string, error: string): Promise<void> {
      await db.query(
        `UPDATE deliveries SET status = 'failed', error = $3 WHERE delivery_key = $1 AND claim = $2::uuid AND status = 'pending'`, [key, token, error]);
    },

    /** The record's own failure, on the row this caller claimed. */
    async markFailed(key: string, error: string): Promise<void> {
      await db.query(`UPDATE deliveries SET status = 'failed', error = $2 WHERE delivery_key = $1 AND status <> 'sent'`, [key, error]);
    },

    /**
     * The record's own failure when its claim was rolled back with its effect: the row is taken (as a try) and says
     * `failed` and why, unless it is `sent` or another run's delivery in flight.
     */
    async recordFailure(row: DeliveryRow, error: string, token: string): Promise<void> {
      const { text, params } = claimStatement(row, { status: 'pending', retakePending: false, token });
      await transaction(dataSource, async (tx) => {
        const [r] = await tx.query(text, params);
        if (r?.claimed) await tx.query(`UPDATE deliveries SET status = 'failed', error = $2 WHERE delivery_key = $1`, [row.key, error]);
      });
    },

    /**
     * The plan skipped the delivery: recorded `skipped` with its reason for this run, unless it is under way or done
     * (`pending`, `sent`). No attempt is counted; a later claim takes the row again.
     */
    async recordSkip(row: DeliveryRow, reason: string): Promise<void> {
      const w = row.owner;
      if ('approvalId' in w) throw new Error('an approval\'s deliveries are never skipped by a plan');
      await db.query(
        `INSERT INTO deliveries (company_id, definition_id, run_id, record_type, record_id, occurrence, channel, recipient, status, skip_reason, attempts, delivery_key)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'skipped', $9, 0, $10)
         ON CONFLICT (delivery_key) DO UPDATE SET status = 'skipped', skip_reason = EXCLUDED.skip_reason, error = NULL, run_id = EXCLUDED.run_id,
                created_at = date_trunc('milliseconds', now())
          WHERE deliveries.status IN ('failed', 'skipped')`,
        [w.companyId, 'definitionId' in w ? w.definitionId : null, 'runId' in w ? w.runId : null, w.recordType, w.recordId,
          row.occurrence, row.channel, row.recipient, reason, row.key]);
    },

    /** The state of the delivery under `key` (null: no row). */
    async statusOf(key: string): Promise<'pending' | 'sent' | 'failed' | 'skipped' | null> {
      const [r] = await db.query(`SELECT status FROM deliveries WHERE delivery_key = $1`, [key]);
      return r?.status ?? null;
    },

    /** A `pending` row that an earlier attempt left: says why it is not sent again. */
    async noteInDoubt(key: string, error: string): Promise<void> {
      await db.query(`UPDATE deliveries SET error = $2 WHERE delivery_key = $1 AND status = 'pending'`, [key, error]);
    },

    /** Runs `work` in one transaction on one pooled connection. */
    transaction<T>(work: (tx: Sql) => Promise<T>): Promise<T> {
      return transaction(dataSource, work);
    },
  };
}

async function transaction<T>(dataSource: DataSource, work: (tx: Sql) => Promise<T>): Promise<T> {
  const pool = (dataSource.driver as PostgresDriver).master as Pool;
  const client: PoolClient = await pool.connect();
  const tx: Sql = { query: async (text, params = []) => (await client.query(text, params)).rows };
  let broken: Error | undefined;
  // A connection lost between two statements is reported on the client, not by a query: unheard, it would end the
  // process; heard, the next statement fails (infrastructure) and the connection is dropped.
  const lost = (err: Error) => {
    broken = err;
  };
  client.on('error', lost);
  try {
    await client.query('BEGIN');
    const result = await work(tx);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    try {
      await client.query('ROLLBACK');
    } catch (rollback) {
      broken = rollback as Error;
    }
    throw err;
  } finally {
    // A connection whose ROLLBACK failed is in an unknown state: the pool drops it.
    client.off('error', lost);
    client.release(broken);
  }
}

export type DeliveriesRepository = ReturnType<typeof createDeliveriesRepository>;

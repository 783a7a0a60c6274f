import type { DataSource, EntityManager } from 'typeorm';
import type { ApprovalDelegation } from '../contracts';
import { preparedSql, type Sql } from './sql';

/** A user's out-of-office delegation, as stored. */
export interface DelegationRow {
  delegatorId: string;
  companyId: string;
  delegateId: string;
  delegateName: string;
  from: Date;
  until: Date;
  note: string | null;
  createdAt: Date;
  updatedAt: Date;
}

const COLUMNS = `d.user_id AS "delegatorId", d.company_id AS "companyId", d.delegate_id AS "delegateId", u.name AS "delegateName",
  d.starts_at AS "from", d.ends_at AS "until", d.note, d.created_at AS "createdAt", d.updated_at AS "updatedAt"`;

const UPSERT = `INSERT INTO delegations (user_id, company_id, delegate_id, starts_at, ends_at, note) VALUES ($1, $2, $3, $4, $5, $6)
  ON CONFLICT (user_id) DO UPDATE SET delegate_id = EXCLUDED.delegate_id, starts_at = EXCLUDED.starts_at, ends_at = EXCLUDED.ends_at,
    note = EXCLUDED.note, updated_at = now()`;

/** The chain of delegations that starts at $2 (whoever they delegate to, and so on), whatever their dates. */
const CHAIN = `WITH RECURSIVE chain(id, depth) AS (
    SELECT delegate_id, 1 FROM delegations WHERE company_id = $1 AND user_id = $2
    UNION SELECT d.delegate_id, c.depth + 1 FROM delegations d JOIN chain c ON d.user_id = c.id WHERE d.company_id = $1 AND c.depth < 64)
  SELECT id FROM chain`;

/**
 * The pending approvals where `$2` matters to a delegation: `$2`, or someone whose delegations lead to `$2` (whose seat
 * `$2` holds), is named by a step not yet decided (the pending one or a later one) as approver or escalation user, is a
 * member of a group such a step names (its seats are read when it opens), or holds a seat of the pending step through
 * an open approval task (a seat the run resolved from a group or by limit, or an escalation of the run).
 */
const RUNS_CONCERNING = `WITH RECURSIVE upstream(id, depth) AS (
    SELECT $2::uuid, 0
    UNION SELECT d.user_id, u.depth + 1 FROM delegations d JOIN upstream u ON d.delegate_id = u.id WHERE d.company_id = $1 AND u.depth < 64)
  SELECT a.workflow_id AS "workflowId" FROM approvals a
   WHERE a.company_id = $1 AND a.status = 'pending' AND (EXISTS (
     SELECT 1 FROM jsonb_array_elements(a.steps) WITH ORDINALITY AS s(step, n) JOIN upstream u
       ON s.step->'approverIds' ? u.id::text OR s.step->>'escalateToId' = u.id::text
         OR EXISTS (SELECT 1 FROM approver_group_members m
                     WHERE m.company_id = $1 AND m.user_id = u.id AND coalesce(s.step->'groupIds', '[]') ? m.group_id::text)
      WHERE s.n > a.current_step)
     OR EXISTS (SELECT 1 FROM tasks t JOIN upstream u ON coalesce(t.approval_seat_id, t.assignee_id) = u.id
                 WHERE t.approval_id = a.id AND t.status = 'open'))
   ORDER BY a.created_at`;

/** Delegations: one per user, replaced by a new one; the approvals they affect are told by the API. */
export class DelegationsRepository {
  private readonly db: Sql;

  constructor(private readonly dataSource: DataSource) {
    this.db = preparedSql(dataSource);
  }

  async find(companyId: string, userId: string): Promise<DelegationRow | undefined> {
    const [row] = await this.db.query<DelegationRow>(
      `SELECT ${COLUMNS} FROM delegations d JOIN users u ON u.id = d.delegate_id WHERE d.company_id = $1 AND d.user_id = $2`, [companyId, userId]);
    return row;
  }

  /**
   * Sets or replaces the user's delegation unless it would close a cycle, one change of the company's delegations at a
   * time (two PUTs at once, A to B and B to A, each saw no cycle and both landed): null when set, else the chain from
   * the delegate that comes back to the delegator.
   */
  async setUnlessCycle(
    d: { companyId: string; delegatorId: string; delegateId: string; from: Date; until: Date; note: string | null },
    alsoInTransaction: (m: EntityManager) => Promise<void> = async () => {},
  ): Promise<string[] | null> {
    return this.dataSource.transaction(async (m) => {
      await this.lockCompany(m, d.companyId);
      const chain = (await m.query(CHAIN, [d.companyId, d.delegateId]) as Array<{ id: string }>).map((r) => r.id);
      if (chain.includes(d.delegatorId)) return chain;
      await m.query(UPSERT, [d.delegatorId, d.companyId, d.delegateId, d.from, d.until, d.note]);
      await alsoInTransaction(m);
      return null;
    });
  }

  /** Ends the user's delegation: the delegate it had, or undefined when it had none. */
  async remove(companyId: string, userId: string, alsoInTransaction: (m: EntityManager, delegateId: string) => Promise<void> = async () => {}): Promise<string | undefined> {
    return this.dataSource.transaction(async (m) => {
      const [rows] = await m.query('DELETE FROM delegations WHERE company_id = $1 AND user_id = $2 RETURNING delegate_id AS "delegateId"',
        [companyId, userId]) as [{ delegateId: string }[], number];
      if (rows.length === 0) return undefined;
      await alsoInTransaction(m, rows[0].delegateId);
      return rows[0].delegateId;
    });
  }

  /** The company's delegations not yet over at `at`: what a run submitted now must know. */
  async findCurrentOrComing(companyId: string, at: Date): Promise<ApprovalDelegation[]> {
    const rows = await this.db.query<{ delegatorId: string; delegateId: string; from: Date; until: Date }>(
      `SELECT user_id AS "delegatorId", delegate_id AS "delegateId", starts_at AS "from", ends_at AS "until"
         FROM delegations WHERE company_id = $1 AND ends_at > $2 ORDER BY user_id`,
      [companyId, at],
    );
    return rows.map((r) => ({ delegatorId: r.delegatorId, delegateId: r.delegateId, from: r.from.toISOString(), until: r.until.toISOString() }));
  }

  /** The workflow ids of the pending approvals a change of `userId`'s delegation may concern (see RUNS_CONCERNING). */
  async findPendingApprovalRunsConcerning(companyId: string, userId: string): Promise<string[]> {
    const rows = await this.db.query<{ workflowId: string }>(RUNS_CONCERNING, [companyId, userId]);
    return rows.map((r) => r.workflowId);
  }

  /** One change of the company's delegations at a time, until the transaction of `m` ends. */
  async lockCompany(m: Pick<EntityManager, 'query'>, companyId: string): Promise<void> {
    await m.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`delegations:${companyId}`]);
  }

  /** Ends every delegation to `userId`, in the transaction of `m`: the delegators, whose requests come back to them. */
  async endDelegationsTo(m: Pick<EntityManager, 'query'>, companyId: string, userId: string): Promise<string[]> {
    // TypeORM answers a DELETE as [rows, count].
    const [rows] = await m.query(
      'DELETE FROM delegations WHERE company_id = $1 AND delegate_id = $2 RETURNING user_id AS "delegatorId"', [companyId, userId]) as [{ delegatorId: string }[], number];
    return rows.map((r) => r.delegatorId);
  }

  /** Ends the user's own delegation, in the transaction of `m`; whether there was one. */
  async removeIn(m: Pick<EntityManager, 'query'>, companyId: string, userId: string): Promise<boolean> {
    const [rows] = await m.query('DELETE FROM delegations WHERE company_id = $1 AND user_id = $2 RETURNING user_id', [companyId, userId]) as [unknown[], number];
    return rows.length > 0;
  }

  /** Sets or replaces the user's delegation, in the transaction of `m` (which holds `lockCompany` and has ruled out a cycle). */
  async setIn(m: Pick<EntityManager, 'query'>, d: { companyId: string; delegatorId: string; delegateId: string; from: Date; until: Date; note: string | null }): Promise<void> {
    await m.query(UPSERT, [d.delegatorId, d.companyId, d.delegateId, d.from, d.until, d.note]);
  }

  /** The status of a user of the company; undefined when it is not one. */
  async findUserStatus(companyId: string, userId: string): Promise<'active' | 'inactive' | undefined> {
    const [row] = await this.db.query<{ status: 'active' | 'inactive' }>('SELECT status FROM users WHERE company_id = $1 AND id = $2', [companyId, userId]);
    return row?.status;
  }
}

import type { DataSource } from 'typeorm';
import type { ResolveApprovalSeatsInput, ResolvedApprovalSeats } from '../contracts';
import { preparedSql, type Sql } from './sql';

/**
 * The seats of a step as the database holds them now: the named approvers (in their order), then the members of the
 * step's groups (by id); only active users of the company, never the creator; under `limit` routing only those whose
 * limit is none (null) or covers the amount, compared as numerics (an amount that is no decimal covers nobody with a
 * limit). With them, the company's active admins but the creator.
 */
const SEATS_SQL = `
  WITH candidates AS (
    SELECT n.user_id, 0 AS source, n.ord FROM unnest($2::uuid[]) WITH ORDINALITY AS n(user_id, ord)
    UNION ALL
    SELECT m.user_id, 1, 0 FROM approver_group_members m
      JOIN approver_groups g ON g.id = m.group_id AND g.company_id = $1
     WHERE m.company_id = $1 AND m.group_id = ANY($3::uuid[])),
  seats AS (
    SELECT u.id, min(c.source) AS source, min(c.ord) AS ord FROM candidates c
      JOIN users u ON u.id = c.user_id AND u.company_id = $1 AND u.status = 'active'
     WHERE u.id <> $4 AND (NOT $5 OR u.approval_limit IS NULL OR u.approval_limit >= $6::numeric)
     GROUP BY u.id)
  SELECT (SELECT coalesce(array_agg(id::text ORDER BY source, ord, id), '{}') FROM seats) AS "seatIds",
         (SELECT coalesce(array_agg(id::text ORDER BY id), '{}') FROM users
           WHERE company_id = $1 AND role = 'admin' AND status = 'active' AND id <> $4) AS "adminIds"`;

/**
 * A seat of the pending step lost (`$3`, the user who held it): the trail's entry, once; every open task of the
 * approval for that seat (the user's own, or their delegate's) cancelled; and the step's email links of whoever that
 * leaves holding no open task of the approval (the user, the delegate) superseded, so that they decide nothing. The
 * document's row is locked first, as every statement that changes an approval does (one lock order with the API).
 */
const SEAT_LOST_SQL = `
  WITH invoice_lock AS (SELECT id FROM invoices WHERE id = (SELECT invoice_id FROM approvals WHERE id = $1) FOR UPDATE),
  bill_lock AS (SELECT id FROM bills WHERE id = (SELECT bill_id FROM approvals WHERE id = $1) FOR UPDATE),
  locked AS (SELECT EXISTS (SELECT 1 FROM invoice_lock) OR EXISTS (SELECT 1 FROM bill_lock) AS done),
  decision AS (
    INSERT INTO approval_decisions (approval_id, step, decision, user_id, comment, decided_at, closes_step)
    SELECT $1, $2, 'seat_lost', $3, $4, $5, false WHERE (SELECT done FROM locked) ON CONFLICT DO NOTHING),
  cancelled AS (
    UPDATE tasks SET status = 'cancelled', completed_at = now(), completed_by = NULL
     WHERE approval_id = $1 AND status = 'open' AND approval_seat_id = $3 AND (SELECT done FROM locked)
    RETURNING id, assignee_id),
  released AS (
    SELECT x.user_id FROM (SELECT $3::uuid AS user_id UNION SELECT assignee_id FROM cancelled) x
     WHERE NOT EXISTS (SELECT 1 FROM tasks t WHERE t.approval_id = $1 AND t.status = 'open' AND t.assignee_id = x.user_id
                          AND t.id NOT IN (SELECT id FROM cancelled)))
  UPDATE approval_links SET superseded_at = now()
   WHERE approval_id = $1 AND step = $2 AND user_id IN (SELECT user_id FROM released) AND superseded_at IS NULL AND (SELECT done FROM locked)`;

/**
 * That nobody more can be asked to decide the step (`escalated` without a user, once per step): it waits for its
 * deadline. Guarded by its own absence, since a unique index does not hold rows without a user.
 */
const NOBODY_SQL = `
  INSERT INTO approval_decisions (approval_id, step, decision, user_id, comment, decided_at, closes_step)
  SELECT $1, $2, 'escalated', NULL, $3, $4, false
   WHERE NOT EXISTS (SELECT 1 FROM approval_decisions WHERE approval_id = $1 AND step = $2 AND decision = 'escalated' AND user_id IS NULL)`;

/** Who holds the seats of approval steps that name groups or route by limit, and what happens when one is lost. */
export class ApprovalSeatsRepository {
  private readonly db: Sql;

  constructor(dataSource: DataSource) {
    this.db = preparedSql(dataSource);
  }

  /** The step's seat holders and the company's admins, read now (the step opens, or a seat may have been lost). */
  async findSeats(input: Pick<ResolveApprovalSeatsInput, 'companyId' | 'approverIds' | 'groupIds' | 'routing' | 'amount' | 'creatorId'>):
    Promise<ResolvedApprovalSeats> {
    const amount = /^\d+(\.\d+)?$/.test(input.amount) ? input.amount : null;
    const [row] = await this.db.query<ResolvedApprovalSeats>(SEATS_SQL, [
      input.companyId, input.approverIds, input.groupIds, input.creatorId, input.routing === 'limit', amount,
    ]);
    return row;
  }

  /** The user no longer holds a seat of the step: the trail's entry, their seat's tasks cancelled, their links superseded. */
  async recordSeatLost(input: { approvalId: string; step: number; userId: string; reason: string | null; at: string }): Promise<void> {
    await this.db.query(SEAT_LOST_SQL, [input.approvalId, input.step, input.userId, input.reason, input.at]);
  }

  /** The step can be decided by nobody more: the trail says so, once. */
  async recordNobodyToEscalate(input: { approvalId: string; step: number; comment: string | null; at: string }): Promise<void> {
    await this.db.query(NOBODY_SQL, [input.approvalId, input.step, input.comment, input.at]);
  }
}

import { timingSafeEqual } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { preparedSql, type Sql } from './sql';

/** What the page behind an approval email's link shows, read with the link in one statement. */
export interface ApprovalLinkPage {
  companyId: string;
  approvalId: string;
  step: number;
  userId: string;
  userName: string;
  userEmail: string;
  userRole: 'admin' | 'standard';
  /** Inactive: the recipient was deactivated, and their links decide nothing. */
  userStatus: 'active' | 'inactive';
  expiresAt: Date;
  usedAt: Date | null;
  /** Set when a delegation moved the step's request away from this recipient: when, and to whom. */
  supersededAt: Date | null;
  supersededToName: string | null;
  company: { id: string; name: string; locale: string; timezone: string; currency: string; plan: 'advanced' | 'essentials'; emailApprovalLimit: string | null };
  /**
   * The document decided on: an invoice (its customer), or a bill (its vendor as `customerName`; its number, or its id
   * when it has none; no creator for a bill recorded before bills had one).
   */
  invoice: {
    kind: 'invoice' | 'bill'; id: string; number: string; amount: string; dueDate: string; memo: string | null; customerName: string; createdBy: string | null;
  };
  approval: { status: 'pending' | 'approved' | 'rejected' | 'cancelled'; currentStep: number; stepCount: number; deadline: Date; submission: number;
    submittedByName: string };
  /** Every entry of the approval's trail, oldest first, with who acted and for whom. */
  decisions: { step: number; decision: string; userId: string | null; userName: string | null; onBehalfOfName: string | null; comment: string | null;
    decidedAt: string; closesStep: boolean; via: string | null }[];
}

const PAGE_SQL = `
  SELECT l.token_hash AS "tokenHash", l.company_id AS "companyId", l.approval_id AS "approvalId", l.step, l.user_id AS "userId", u.name AS "userName", u.email AS "userEmail",
         u.role AS "userRole", u.status AS "userStatus", l.expires_at AS "expiresAt", l.used_at AS "usedAt",
         l.superseded_at AS "supersededAt", su.name AS "supersededToName",
         json_build_object('id', co.id, 'name', co.name, 'locale', co.locale, 'timezone', co.timezone, 'currency', co.currency, 'plan', co.plan,
           'emailApprovalLimit', co.email_approval_limit::text) AS company,
         json_build_object('kind', a.record_type, 'id', coalesce(i.id, b.id), 'number', coalesce(i.number, b.number, b.id::text),
           'amount', coalesce(i.amount, b.amount)::text, 'dueDate', coalesce(i.due_date, b.due_date)::text, 'memo', coalesce(i.memo, b.memo),
           'customerName', coalesce(cu.name, v.name), 'createdBy', coalesce(i.created_by, b.created_by)) AS invoice,
         json_build_object('status', a.status, 'currentStep', a.current_step, 'stepCount', jsonb_array_length(a.steps), 'deadline', a.deadline,
           'submission', a.submission, 'submittedByName', sb.name) AS approval,
         (SELECT coalesce(json_agg(json_build_object('step', d.step, 'decision', d.decision, 'userId', d.user_id, 'userName', du.name,
                   'onBehalfOfName', bu.name, 'comment', d.comment, 'decidedAt', d.decided_at, 'closesStep', d.closes_step, 'via', d.via)
                   ORDER BY d.step, d.decided_at, d.id), '[]')
            FROM approval_decisions d LEFT JOIN users du ON du.id = d.user_id LEFT JOIN users bu ON bu.id = d.on_behalf_of
           WHERE d.approval_id = a.id) AS decisions
    FROM approval_links l
    JOIN users u ON u.id = l.user_id AND u.company_id = l.company_id
    JOIN approvals a ON a.id = l.approval_id AND a.company_id = l.company_id
    JOIN users sb ON sb.id = a.submitted_by
    LEFT JOIN invoices i ON i.id = a.invoice_id
    LEFT JOIN customers cu ON cu.id = i.customer_id
    LEFT JOIN bills b ON b.id = a.bill_id
    LEFT JOIN vendors v ON v.id = b.vendor_id
    JOIN companies co ON co.id = l.company_id
    LEFT JOIN users su ON su.id = l.superseded_to
   WHERE l.token_hash = $1`;

/** The links of approval emails: issued by the run's activities, read and used by the page the API serves. */
export class ApprovalLinksRepository {
  private readonly db: Sql;

  constructor(dataSource: DataSource) {
    this.db = preparedSql(dataSource);
  }

  async issue(link: { tokenHash: Buffer; companyId: string; approvalId: string; step: number; userId: string; expiresAt: string }): Promise<void> {
    await this.db.query(
      'INSERT INTO approval_links (token_hash, company_id, approval_id, step, user_id, expires_at) VALUES ($1, $2, $3, $4, $5, $6)',
      [link.tokenHash, link.companyId, link.approvalId, link.step, link.userId, link.expiresAt],
    );
  }

  async findPage(tokenHash: Buffer): Promise<ApprovalLinkPage | undefined> {
    const [found] = await this.db.query<Omit<ApprovalLinkPage, 'approval'> & { tokenHash: Buffer; approval: Omit<ApprovalLinkPage['approval'], 'deadline'> & { deadline: string } }>(
      PAGE_SQL, [tokenHash]);
    // Found by the digest's index; the digests are compared again in constant time, as every secret is.
    if (!found || !timingSafeEqual(found.tokenHash, tokenHash)) return undefined;
    const { tokenHash: _stored, ...row } = found;
    return { ...row, approval: { ...row.approval, deadline: new Date(row.approval.deadline) } };
  }

  /**
   * Takes the recipient's links of the step (each email carries its own) for one decision, in one conditional
   * statement: answers the claim's mark when the link `tokenHash` was among those this call took, undefined when
   * another post took it first (the same link twice, or another of the recipient's links). `release` gives them back.
   */
  async claim(link: { tokenHash: Buffer; approvalId: string; step: number; userId: string }): Promise<string | undefined> {
    const rows = await this.db.query<{ tokenHash: Buffer; claim: string }>(
      `UPDATE approval_links SET used_at = now() WHERE approval_id = $1 AND step = $2 AND user_id = $3 AND used_at IS NULL
       RETURNING token_hash AS "tokenHash", used_at::text AS claim`, [link.approvalId, link.step, link.userId]);
    const mine = rows.find((r) => r.tokenHash.equals(link.tokenHash));
    if (!mine) {
      if (rows.length > 0) await this.release(link, rows[0].claim);
      return undefined;
    }
    return mine.claim;
  }

  /** Gives back the links a claim took, after a refused decision; not those marked since by something else. */
  async release(link: { approvalId: string; step: number; userId: string }, claim: string): Promise<void> {
    await this.db.query('UPDATE approval_links SET used_at = NULL WHERE approval_id = $1 AND step = $2 AND user_id = $3 AND used_at = $4::timestamptz',
      [link.approvalId, link.step, link.userId, claim]);
  }

  /** The recipient's links of the step no longer decide it: a delegation moved the request to `toId`. */
  async supersede(approvalId: string, step: number, userId: string, toId: string): Promise<void> {
    await this.db.query(
      'UPDATE approval_links SET superseded_at = now(), superseded_to = $4 WHERE approval_id = $1 AND step = $2 AND user_id = $3 AND superseded_at IS NULL',
      [approvalId, step, userId, toId]);
  }

  /** The request moved back to the recipient: their earlier links of the step decide it again. */
  async restore(approvalId: string, step: number, userId: string): Promise<void> {
    await this.db.query(
      'UPDATE approval_links SET superseded_at = NULL, superseded_to = NULL WHERE approval_id = $1 AND step = $2 AND user_id = $3 AND superseded_at IS NOT NULL',
      [approvalId, step, userId]);
  }

  /** Every link of the recipient for the step is spent once one of them decided it (each email carries its own). */
  async markUsed(approvalId: string, step: number, userId: string): Promise<void> {
    await this.db.query('UPDATE approval_links SET used_at = now() WHERE approval_id = $1 AND step = $2 AND user_id = $3 AND used_at IS NULL',
      [approvalId, step, userId]);
  }
}

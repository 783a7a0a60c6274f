import { decodeCursor, encodeCursor } from './cursor';
import { type Db, managerOf } from './owned';
import type { Page, PageRequest } from './pagination';

export type SuppressionOrigin = 'bounce' | 'complaint' | 'soft_bounces';

/** An address of a company that nothing is sent to. */
export interface Suppression {
  id: string;
  companyId: string;
  address: string;
  origin: SuppressionOrigin;
  reason: string;
  deliveryKey: string | null;
  createdAt: Date;
}

const COLUMNS = 'id, company_id, address, origin, reason, delivery_key, created_at, created_at::text AS cursor_at';

type Row = Record<string, unknown>;

function toSuppression(r: Row): Suppression {
  return {
    id: r.id as string, companyId: r.company_id as string, address: r.address as string, origin: r.origin as SuppressionOrigin,
    reason: r.reason as string, deliveryKey: r.delivery_key as string | null, createdAt: r.created_at as Date,
  };
}

/** A company's suppressed addresses (stored lower-case). `db` may be a transaction's manager. */
export class SuppressionsRepository {
  constructor(private readonly db: Db) {}

  private query(text: string, params: unknown[]): Promise<Row[]> {
    return managerOf(this.db).query(text, params);
  }

  /** Suppresses the address; null when it was suppressed already (the first suppression and its reason stay). */
  async insertIfAbsent(s: { companyId: string; address: string; origin: SuppressionOrigin; reason: string; deliveryKey: string | null }): Promise<Suppression | null> {
    const [row] = await this.query(
      `INSERT INTO suppressions (company_id, address, origin, reason, delivery_key) VALUES ($1, lower($2), $3, $4, $5)
       ON CONFLICT (company_id, address) DO NOTHING RETURNING ${COLUMNS}`,
      [s.companyId, s.address, s.origin, s.reason, s.deliveryKey]);
    return row ? toSuppression(row) : null;
  }

  /** The suppression of one address, or null. */
  async findForAddress(companyId: string, address: string): Promise<Suppression | null> {
    const [row] = await this.query(`SELECT ${COLUMNS} FROM suppressions WHERE company_id = $1 AND address = lower($2)`, [companyId, address]);
    return row ? toSuppression(row) : null;
  }

  /**
   * Newest first (what bounced last is what the team looks at). The cursor keeps `created_at` as Postgres prints it:
   * the suppressions of one transaction are microseconds apart, which a JavaScript Date would round.
   */
  async findPage(companyId: string, filter: { address?: string }, page: PageRequest): Promise<Page<Suppression>> {
    const params: unknown[] = [companyId];
    const where = ['company_id = $1'];
    if (filter.address !== undefined) {
      params.push(filter.address);
      where.push(`address = lower($${params.length})`);
    }
    if (page.cursor) {
      const { key, id } = decodeCursor(page.cursor);
      params.push(key, id);
      where.push(`(created_at, id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    const limit = page.limit ?? 50;
    params.push(limit + 1);
    const rows = await this.query(
      `SELECT ${COLUMNS} FROM suppressions WHERE ${where.join(' AND ')} ORDER BY created_at DESC, id DESC LIMIT $${params.length}`, params);
    const data = rows.slice(0, limit);
    const last = data[data.length - 1];
    return {
      data: data.map(toSuppression),
      nextCursor: rows.length > limit && last ? encodeCursor(last.cursor_at as string, last.id as string) : null,
    };
  }

  /** Deletes the company's suppression; the deleted one, or null when there is none. */
  async deleteOwned(companyId: string, id: string): Promise<Suppression | null> {
    // As a CTE: TypeORM answers a bare DELETE … RETURNING as [rows, count].
    const [row] = await this.query(
      `WITH deleted AS (DELETE FROM suppressions WHERE company_id = $1 AND id = $2 RETURNING *) SELECT ${COLUMNS} FROM deleted`, [companyId, id]);
    return row ? toSuppression(row) : null;
  }
}

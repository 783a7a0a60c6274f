import type { Sql } from './sql';

export interface OpenedDispute {
  id: string;
  openedAt: Date;
}

export interface ResolvedDispute {
  id: string;
  invoiceNumber: string;
  resolvedAt: Date;
}

/** Invoice disputes: every one kept with its resolution; the invoice carries the open one (`disputed_at`, `dispute_reason`). */
export class DisputesRepository {
  constructor(private readonly db: Sql) {}

  /** Opens a dispute on the invoice (the caller holds its row and has checked none is open). */
  async open(d: { companyId: string; invoiceId: string; deliveryKey: string; reason: string }): Promise<OpenedDispute> {
    const [row] = await this.db.query<{ id: string; opened_at: Date }>(
      `WITH opened AS (
         INSERT INTO invoice_disputes (company_id, invoice_id, delivery_key, reason) VALUES ($1, $2, $3, $4) RETURNING id, opened_at
       ), marked AS (
         UPDATE invoices SET disputed_at = (SELECT opened_at FROM opened), dispute_reason = $4, updated_at = now()
          WHERE company_id = $1 AND id = $2 RETURNING id
       )
       SELECT opened.id, opened.opened_at FROM opened, marked`,
      [d.companyId, d.invoiceId, d.deliveryKey, d.reason],
    );
    if (!row) throw new Error(`dispute of invoice ${d.invoiceId}: the invoice is gone`);
    return { id: row.id, openedAt: new Date(row.opened_at) };
  }

  /** Resolves the invoice's open dispute and clears it from the invoice; null when none is open (or no such invoice). */
  async resolve(companyId: string, invoiceId: string, userId: string, resolution: string): Promise<ResolvedDispute | null> {
    const [row] = await this.db.query<{ id: string; number: string; resolved_at: Date }>(
      `WITH resolved AS (
         UPDATE invoice_disputes SET resolved_at = date_trunc('milliseconds', now()), resolved_by = $3, resolution = $4
          WHERE company_id = $1 AND invoice_id = $2 AND resolved_at IS NULL RETURNING id, resolved_at
       ), cleared AS (
         UPDATE invoices SET disputed_at = NULL, dispute_reason = NULL, updated_at = now()
          WHERE company_id = $1 AND id = $2 AND EXISTS (SELECT 1 FROM resolved) RETURNING number
       )
       SELECT resolved.id, cleared.number, resolved.resolved_at FROM resolved, cleared`,
      [companyId, invoiceId, userId, resolution],
    );
    return row ? { id: row.id, invoiceNumber: row.number, resolvedAt: new Date(row.resolved_at) } : null;
  }
}

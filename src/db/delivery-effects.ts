import type { Sql } from './sql';

/**
 * What a sweep's in-database deliveries change, each run in the transaction of its delivery row (the outbox's
 * `inDatabase` policy and the `onSent` of an invoice sent): every insert carries the delivery key as its own
 * idempotency key.
 */
export const deliveryEffects = {
  async markInvoiceSent(tx: Sql, invoiceId: string): Promise<void> {
    await tx.query('UPDATE invoices SET sent_at = now(), updated_at = now() WHERE id = $1 AND sent_at IS NULL', [invoiceId]);
  },

  /** The in-app notification; its id, or null when the key had one already. */
  async insertNotification(
    tx: Sql,
    n: { companyId: string; userId: string; title: string; body: string; recordType: string; recordId: string; key: string },
  ): Promise<string | null> {
    const [row] = await tx.query<{ id: string }>(
      `INSERT INTO notifications (company_id, user_id, title, body, record_type, record_id, idempotency_key)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (idempotency_key) DO NOTHING RETURNING id`,
      [n.companyId, n.userId, n.title, n.body, n.recordType, n.recordId, n.key],
    );
    return row?.id ?? null;
  },

  async insertReminderTask(
    tx: Sql,
    t: { companyId: string; assigneeId: string; title: string; description: string; recordType: string; recordId: string; definitionId: string; key: string },
  ): Promise<void> {
    await tx.query(
      `INSERT INTO tasks (company_id, assignee_id, kind, title, description, record_type, record_id, definition_id, idempotency_key)
       VALUES ($1, $2, 'reminder', $3, $4, $5, $6, $7, $8) ON CONFLICT (idempotency_key) DO NOTHING`,
      [t.companyId, t.assigneeId, t.title, t.description, t.recordType, t.recordId, t.definitionId, t.key],
    );
  },

  /** The invoice has had step `step` (0-based) of the definition's sequence; progress never goes back. */
  async recordSequenceStep(tx: Sql, definitionId: string, invoiceId: string, step: number): Promise<void> {
    await tx.query(
      `INSERT INTO collection_progress (definition_id, invoice_id, last_step) VALUES ($1, $2, $3)
       ON CONFLICT (definition_id, invoice_id) DO UPDATE SET last_step = GREATEST(collection_progress.last_step, EXCLUDED.last_step), updated_at = now()`,
      [definitionId, invoiceId, step],
    );
  },

  async setInvoiceText(tx: Sql, invoiceId: string, field: 'memo' | 'stamp', text: string): Promise<void> {
    const column = field === 'memo' ? 'memo' : 'stamp';
    await tx.query(`UPDATE invoices SET ${column} = $2, updated_at = now() WHERE id = $1`, [invoiceId, text]);
  },
};

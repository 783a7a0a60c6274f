import type { Sql } from './sql';

/**
 * The statements of a customer's answer that are neither a dispute nor a promise: the pause an "already paid" sets, the
 * team's task to reconcile it, and the answer kept among the invoice's messages. Each runs in the caller's transaction.
 */
export class CustomerAnswersRepository {
  constructor(private readonly db: Sql) {}

  /**
   * Pauses the invoice's reminders until `until` (exclusive, as every pause), unless a pause already runs as long or
   * longer (or until resumed): an answer never shortens the team's own pause. True when it paused.
   */
  async pauseUnlessLonger(companyId: string, invoiceId: string, until: string, reason: string): Promise<boolean> {
    const rows = await this.db.query(
      `UPDATE invoices SET reminders_paused_at = now(), reminders_paused_until = $3, reminders_pause_reason = $4, updated_at = now()
        WHERE company_id = $1 AND id = $2
          AND NOT (reminders_paused_at IS NOT NULL AND (reminders_paused_until IS NULL OR reminders_paused_until >= $3))
        RETURNING id`,
      [companyId, invoiceId, until, reason],
    );
    return rows.length > 0;
  }

  /**
   * Opens a task to reconcile a payment the customer says they made, for the invoice's creator (who issued it and
   * knows what was expected), or, when they were deactivated, the company's longest-standing active admin. One per
   * `idempotencyKey`: a link posted again and again opens no second task (the existing one is answered).
   */
  async openReconcileTask(t: { companyId: string; invoiceId: string; title: string; description: string; idempotencyKey: string }): Promise<{ id: string; assigneeId: string }> {
    const [row] = await this.db.query<{ id: string; assignee_id: string }>(
      `WITH opened AS (
         INSERT INTO tasks (company_id, assignee_id, kind, title, description, record_type, record_id, idempotency_key)
         SELECT $1, coalesce(
                  (SELECT u.id FROM invoices i JOIN users u ON u.id = i.created_by AND u.status = 'active' WHERE i.id = $2 AND i.company_id = $1),
                  (SELECT u.id FROM users u WHERE u.company_id = $1 AND u.role = 'admin' AND u.status = 'active' ORDER BY u.created_at, u.id LIMIT 1)),
                'reminder', $3, $4, 'invoice', $2, $5
         ON CONFLICT (idempotency_key) DO NOTHING
         RETURNING id, assignee_id
       )
       SELECT id, assignee_id FROM opened
       UNION ALL SELECT id, assignee_id FROM tasks WHERE idempotency_key = $5 AND NOT EXISTS (SELECT 1 FROM opened)`,
      [t.companyId, t.invoiceId, t.title, t.description, t.idempotencyKey],
    );
    return { id: row.id, assigneeId: row.assignee_id };
  }

  /** Keeps the answer among the invoice's messages (direction `in`), with the delivery its link came with. */
  async keepMessage(m: { companyId: string; invoiceId: string; kind: string; deliveryKey: string; subject: string; text: string }): Promise<void> {
    await this.db.query(
      `INSERT INTO invoice_messages (company_id, invoice_id, direction, kind, delivery_key, subject, body_text)
       VALUES ($1, $2, 'in', $3, $4, $5, $6)`,
      [m.companyId, m.invoiceId, m.kind, m.deliveryKey, m.subject, m.text],
    );
  }
}

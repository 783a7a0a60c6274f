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

  /** An invoice sent through the API, again or not: its sentAt moves. */
  async recordInvoiceSent(tx: Sql, invoiceId: string): Promise<void> {
    await tx.query('UPDATE invoices SET sent_at = now(), updated_at = now() WHERE id = $1', [invoiceId]);
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

  /**
   * A reminder task for its assignee, or else for its candidate group's members to claim. The group is taken only as
   * one of the company's: one deleted since the definition was saved leaves the task unassigned, in the open.
   */
  async insertReminderTask(
    tx: Sql,
    t: {
      companyId: string; assigneeId: string | null; candidateGroupId?: string | null; title: string; description: string;
      recordType: string; recordId: string; definitionId: string; key: string;
    },
  ): Promise<void> {
    await tx.query(
      `INSERT INTO tasks (company_id, assignee_id, candidate_group_id, kind, title, description, record_type, record_id, definition_id, idempotency_key)
       VALUES ($1, $2, (SELECT g.id FROM approver_groups g WHERE g.id = $9 AND g.company_id = $1), 'reminder', $3, $4, $5, $6, $7, $8)
       ON CONFLICT (idempotency_key) DO NOTHING`,
      [t.companyId, t.assigneeId, t.title, t.description, t.recordType, t.recordId, t.definitionId, t.key, t.candidateGroupId ?? null],
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

  /**
   * Whether step `step` (0-based) of the sequence may still go to the invoice, in the claim's transaction: not when a
   * later step was sent or may have been (pending), so that an invoice never gets a step after a later one. The lock
   * serialises the invoice's step claims (two runs at one opening, each with its step) until this transaction ends.
   */
  async sequenceStepMayGo(tx: Sql, s: { companyId: string; definitionId: string; invoiceId: string; step: number }): Promise<boolean> {
    await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`collection-sequence:${s.definitionId}:${s.invoiceId}`]);
    const [later] = await tx.query(
      `SELECT 1 FROM deliveries d
        WHERE d.company_id = $1 AND d.record_type = 'invoice' AND d.record_id = $2 AND d.definition_id = $3 AND d.status IN ('pending', 'sent')
          AND d.occurrence ~ '^step-[0-9]+$' AND substring(d.occurrence FROM 6)::int > $4
       UNION ALL
       SELECT 1 FROM collection_progress p WHERE p.definition_id = $3 AND p.invoice_id = $2 AND p.last_step > $4 - 1
       LIMIT 1`,
      [s.companyId, s.invoiceId, s.definitionId, s.step + 1],
    );
    return !later;
  },

  async setInvoiceText(tx: Sql, invoiceId: string, field: 'memo' | 'stamp', text: string): Promise<void> {
    const column = field === 'memo' ? 'memo' : 'stamp';
    await tx.query(`UPDATE invoices SET ${column} = $2, updated_at = now() WHERE id = $1`, [invoiceId, text]);
  },
};

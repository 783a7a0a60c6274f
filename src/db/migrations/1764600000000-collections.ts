import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Collections: a definition's dunning steps, how far each invoice has gone through them, pausing an
 * invoice's reminders, a customer's opt-out and timezone, the company's send window, and unsubscribe tokens (only
 * their SHA-256 is stored).
 */
export class Collections1764600000000 implements MigrationInterface {
  name = 'Collections1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE workflow_definitions ADD COLUMN sequence jsonb');
    await q.query(`ALTER TABLE customers ADD COLUMN reminders_enabled boolean NOT NULL DEFAULT true, ADD COLUMN timezone text`);
    await q.query(`ALTER TABLE invoices ADD COLUMN reminders_paused_at timestamptz, ADD COLUMN reminders_paused_until date,
                   ADD COLUMN reminders_pause_reason text`);
    await q.query('ALTER TABLE companies ADD COLUMN send_window jsonb');
    await q.query('ALTER TABLE workflow_runs ADD COLUMN deferred integer NOT NULL DEFAULT 0');
    // The sweep of a sequence reads unpaid invoices by due date; paid ones are never in its range scan.
    await q.query('CREATE INDEX invoices_company_due_open ON invoices (company_id, due_date, id) WHERE balance > 0');
    await q.query(`CREATE TABLE collection_progress (
      definition_id uuid NOT NULL REFERENCES workflow_definitions(id) ON DELETE CASCADE,
      invoice_id uuid NOT NULL REFERENCES invoices(id) ON DELETE CASCADE,
      last_step integer NOT NULL CHECK (last_step >= 0),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (definition_id, invoice_id)
    )`);
    await q.query(`CREATE TABLE unsubscribe_tokens (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
      customer_id uuid NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
      token_hash bytea NOT NULL UNIQUE,
      created_at timestamptz NOT NULL DEFAULT now(),
      used_at timestamptz
    )`);
    await q.query('CREATE INDEX unsubscribe_tokens_customer ON unsubscribe_tokens (customer_id)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE unsubscribe_tokens');
    await q.query('DROP TABLE collection_progress');
    await q.query('DROP INDEX invoices_company_due_open');
    await q.query('ALTER TABLE workflow_runs DROP COLUMN deferred');
    await q.query('ALTER TABLE companies DROP COLUMN send_window');
    await q.query('ALTER TABLE invoices DROP COLUMN reminders_paused_at, DROP COLUMN reminders_paused_until, DROP COLUMN reminders_pause_reason');
    await q.query('ALTER TABLE customers DROP COLUMN reminders_enabled, DROP COLUMN timezone');
    await q.query('ALTER TABLE workflow_definitions DROP COLUMN sequence');
  }
}

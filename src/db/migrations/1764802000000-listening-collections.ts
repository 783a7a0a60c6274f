import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What collections that listen share: the planner's skips recorded in the one outbox (`skipped` with its reason), a
 * company's suppressed addresses, a customer's email status and locale, an invoice's open dispute and promise to pay,
 * the reply addresses that map an answer or a bounce to the delivery it answers (only their SHA-256 is stored), and
 * the messages of an invoice, out and in, in order.
 */
export class ListeningCollections1764802000000 implements MigrationInterface {
  name = 'ListeningCollections1764802000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE deliveries DROP CONSTRAINT deliveries_status_check');
    await q.query(`ALTER TABLE deliveries ADD CONSTRAINT deliveries_status_check CHECK (status IN ('pending', 'sent', 'failed', 'skipped')),
                   ADD COLUMN skip_reason text`);
    await q.query(`ALTER TABLE customers ADD COLUMN locale text,
                   ADD COLUMN email_status text NOT NULL DEFAULT 'ok' CHECK (email_status IN ('ok', 'bounced', 'complained'))`);
    await q.query(`ALTER TABLE invoices ADD COLUMN disputed_at timestamptz, ADD COLUMN promised_on date`);
    await q.query(`CREATE TABLE suppressions (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
      address text NOT NULL,
      origin text NOT NULL CHECK (origin IN ('bounce', 'complaint', 'soft_bounces')),
      reason text NOT NULL,
      delivery_key text,
      created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
      UNIQUE (company_id, address)
    )`);
    await q.query(`CREATE TABLE reply_addresses (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
      token_hash bytea NOT NULL UNIQUE,
      delivery_key text NOT NULL UNIQUE,
      recipient text NOT NULL,
      customer_id uuid REFERENCES customers(id) ON DELETE CASCADE,
      invoice_ids uuid[] NOT NULL DEFAULT '{}',
      created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now())
    )`);
    await q.query(`CREATE TABLE invoice_messages (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
      invoice_id uuid NOT NULL REFERENCES invoices(id) ON DELETE CASCADE,
      direction text NOT NULL CHECK (direction IN ('out', 'in')),
      kind text NOT NULL,
      delivery_key text,
      from_address text,
      to_address text,
      subject text NOT NULL DEFAULT '',
      body_text text NOT NULL DEFAULT '',
      created_at timestamptz NOT NULL DEFAULT clock_timestamp()
    )`);
    await q.query('CREATE INDEX invoice_messages_invoice ON invoice_messages (invoice_id, created_at, id)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE invoice_messages');
    await q.query('DROP TABLE reply_addresses');
    await q.query('DROP TABLE suppressions');
    await q.query('ALTER TABLE invoices DROP COLUMN disputed_at, DROP COLUMN promised_on');
    await q.query('ALTER TABLE customers DROP COLUMN locale, DROP COLUMN email_status');
    await q.query("DELETE FROM deliveries WHERE status = 'skipped'");
    await q.query('ALTER TABLE deliveries DROP CONSTRAINT deliveries_status_check, DROP COLUMN skip_reason');
    await q.query(`ALTER TABLE deliveries ADD CONSTRAINT deliveries_status_check CHECK (status IN ('pending', 'sent', 'failed'))`);
  }
}

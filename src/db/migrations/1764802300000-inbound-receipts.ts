import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each inbound message a reply address received, once: its key (a SHA-256 of the delivery and what the message said)
 * makes a message posted again (an MTA retries) change nothing, and the temporary failures of an address within 30
 * days are counted here. The messages themselves are kept in invoice_messages.
 */
export class InboundReceipts1764802300000 implements MigrationInterface {
  name = 'InboundReceipts1764802300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE inbound_receipts (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
      receipt_key bytea NOT NULL,
      delivery_key text NOT NULL,
      address text NOT NULL,
      kind text NOT NULL CHECK (kind IN ('bounce', 'complaint', 'auto_reply', 'reply')),
      temporary_failure boolean NOT NULL DEFAULT false,
      received_at timestamptz NOT NULL,
      UNIQUE (company_id, receipt_key)
    )`);
    await q.query(`CREATE INDEX inbound_receipts_temporary_failures ON inbound_receipts (company_id, address, received_at)
                   WHERE temporary_failure`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE inbound_receipts');
  }
}

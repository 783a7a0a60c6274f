import { MigrationInterface, QueryRunner } from 'typeorm';

const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

// Nested objects through row_to_json too: json_build_object would write " : " where toInvoiceView's JSON writes ":".
const viewJson = (withAnswers: boolean) => `CREATE OR REPLACE FUNCTION invoice_view_json(i invoices) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT row_to_json(v)::text FROM (SELECT
    i.id, i.number, i.customer_id AS "customerId", i.location_id AS "locationId", i.amount::text AS amount,
    i.balance::text AS balance, i.issue_date AS "issueDate", i.due_date AS "dueDate", i.memo, i.stamp,
    ${iso('i.sent_at')} AS "sentAt", i.created_by AS "createdBy", i.approval_status AS "approvalStatus",
    ${withAnswers ? `(SELECT row_to_json(d) FROM (SELECT ${iso('i.disputed_at')} AS "openedAt", coalesce(i.dispute_reason, '') AS reason) d
      WHERE i.disputed_at IS NOT NULL) AS dispute,
    (SELECT row_to_json(p) FROM (SELECT i.promised_on AS "payOn", i.promised_on + 2 AS "graceUntil") p
      WHERE i.promised_on IS NOT NULL) AS promise,` : ''}
    ${iso('i.created_at')} AS "createdAt", ${iso('i.updated_at')} AS "updatedAt") v
$$`;

/**
 * What customers answer from a reminder's page. `response_links`: one per invoice a reminder is about, only the
 * token's SHA-256 stored, bound to the delivery, the invoice and its customer, with its expiry. `invoice_disputes` and
 * `invoice_promises` keep every dispute (with its resolution) and every promise (broken or not); the invoice carries
 * the open one (`disputed_at` with `dispute_reason`, `promised_on`) for the planner and for its API view, which now
 * shows both.
 */
export class CustomerAnswers1764802400000 implements MigrationInterface {
  name = 'CustomerAnswers1764802400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE response_links (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
      token_hash bytea NOT NULL UNIQUE,
      delivery_key text NOT NULL,
      invoice_id uuid NOT NULL REFERENCES invoices(id) ON DELETE CASCADE,
      customer_id uuid NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
      expires_at timestamptz NOT NULL,
      created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now())
    )`);
    await q.query('CREATE INDEX response_links_invoice ON response_links (invoice_id)');
    await q.query(`CREATE TABLE invoice_disputes (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
      invoice_id uuid NOT NULL REFERENCES invoices(id) ON DELETE CASCADE,
      delivery_key text,
      reason text NOT NULL,
      opened_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
      resolved_at timestamptz,
      resolved_by uuid REFERENCES users(id),
      resolution text
    )`);
    await q.query('CREATE UNIQUE INDEX invoice_disputes_open ON invoice_disputes (invoice_id) WHERE resolved_at IS NULL');
    await q.query(`CREATE TABLE invoice_promises (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
      invoice_id uuid NOT NULL REFERENCES invoices(id) ON DELETE CASCADE,
      delivery_key text,
      pay_on date NOT NULL,
      created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
      broken_at timestamptz
    )`);
    await q.query('CREATE INDEX invoice_promises_invoice ON invoice_promises (invoice_id, created_at)');
    await q.query('ALTER TABLE invoices ADD COLUMN dispute_reason text');
    await q.query(viewJson(true));
    // Every invoice's view gains the two keys; the trigger fills them in.
    await q.query('UPDATE invoices SET view_json = NULL');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(viewJson(false));
    await q.query('ALTER TABLE invoices DROP COLUMN dispute_reason');
    await q.query('UPDATE invoices SET view_json = NULL');
    await q.query('DROP TABLE invoice_promises');
    await q.query('DROP TABLE invoice_disputes');
    await q.query('DROP TABLE response_links');
  }
}

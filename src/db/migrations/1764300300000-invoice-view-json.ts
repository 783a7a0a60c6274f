import { MigrationInterface, QueryRunner } from 'typeorm';

const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * `invoices.view_json`: each invoice's API representation (the JSON of toInvoiceView), kept by a trigger in the same
 * statement as every insert and update, whatever code path writes the row. `GET /v1/invoices`, the hottest read,
 * then pages over the index and returns stored text: Postgres neither formats nor encodes anything per request.
 * Money as text, days as YYYY-MM-DD (JSON's encoding of a date, whatever the DateStyle), instants as ISO 8601 in UTC
 * with milliseconds (truncated, as a JavaScript Date is). An agreement test compares it with toInvoiceView.
 */
export class InvoiceViewJson1764300300000 implements MigrationInterface {
  name = 'InvoiceViewJson1764300300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE FUNCTION invoice_view_json(i invoices) RETURNS text LANGUAGE sql STABLE AS $$
      SELECT row_to_json(v)::text FROM (SELECT
        i.id, i.number, i.customer_id AS "customerId", i.location_id AS "locationId", i.amount::text AS amount,
        i.balance::text AS balance, i.issue_date AS "issueDate", i.due_date AS "dueDate", i.memo, i.stamp,
        ${iso('i.sent_at')} AS "sentAt", i.created_by AS "createdBy", i.approval_status AS "approvalStatus",
        ${iso('i.created_at')} AS "createdAt", ${iso('i.updated_at')} AS "updatedAt") v
    $$`);
    await q.query(`CREATE FUNCTION invoices_keep_view_json() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.view_json := invoice_view_json(NEW);
        RETURN NEW;
      END
    $$`);
    await q.query('ALTER TABLE invoices ADD COLUMN view_json text');
    await q.query(`CREATE TRIGGER invoices_view_json BEFORE INSERT OR UPDATE ON invoices
      FOR EACH ROW EXECUTE FUNCTION invoices_keep_view_json()`);
    await q.query('UPDATE invoices SET view_json = NULL'); // the trigger fills it in
    await q.query('ALTER TABLE invoices ALTER COLUMN view_json SET NOT NULL');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TRIGGER invoices_view_json ON invoices');
    await q.query('ALTER TABLE invoices DROP COLUMN view_json');
    await q.query('DROP FUNCTION invoices_keep_view_json()');
    await q.query('DROP FUNCTION invoice_view_json(invoices)');
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Approvals across an organization, the shared part: approver groups and their members, users' approval limits, bills
 * that need approval (`created_by`, `approval_status`, as invoices), and approvals of either document (`record_type`
 * with `invoice_id` or `bill_id`) that keep the definition version they started with. A seat lost while a step waits
 * is a `seat_lost` entry of the trail. Tasks' inbox fields and definition versions have migrations of their own.
 */
export class OrganizationApprovals1764803000000 implements MigrationInterface {
  name = 'OrganizationApprovals1764803000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE approver_groups (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
      name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
      created_by uuid REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
      updated_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now())
    )`);
    await q.query('CREATE UNIQUE INDEX approver_groups_company_name ON approver_groups (company_id, lower(name))');
    await q.query('CREATE INDEX approver_groups_company_created ON approver_groups (company_id, created_at, id)');
    await q.query(`CREATE TABLE approver_group_members (
      group_id uuid NOT NULL REFERENCES approver_groups(id) ON DELETE CASCADE,
      user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      company_id uuid NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
      added_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
      PRIMARY KEY (group_id, user_id)
    )`);
    await q.query('CREATE INDEX approver_group_members_user ON approver_group_members (company_id, user_id)');

    await q.query('ALTER TABLE users ADD COLUMN approval_limit numeric(14,2) CHECK (approval_limit >= 0)');

    await q.query(`ALTER TABLE bills
      ADD COLUMN created_by uuid REFERENCES users(id),
      ADD COLUMN approval_status text NOT NULL DEFAULT 'not_required' CHECK (approval_status IN
        ('not_required', 'approval_required', 'pending_approval', 'approved', 'rejected')),
      ADD COLUMN approval_definition_id uuid,
      ADD COLUMN approval_submissions integer NOT NULL DEFAULT 0`);
    await q.query('CREATE INDEX bills_company_approval ON bills (company_id, approval_status, id)');

    await q.query(`ALTER TABLE approvals
      ADD COLUMN record_type text NOT NULL DEFAULT 'invoice' CHECK (record_type IN ('invoice', 'bill')),
      ADD COLUMN bill_id uuid REFERENCES bills(id) ON DELETE CASCADE,
      ADD COLUMN definition_version integer,
      ALTER COLUMN invoice_id DROP NOT NULL`);
    await q.query(`ALTER TABLE approvals ADD CONSTRAINT approvals_one_record CHECK (
      (record_type = 'invoice' AND invoice_id IS NOT NULL AND bill_id IS NULL) OR
      (record_type = 'bill' AND bill_id IS NOT NULL AND invoice_id IS NULL))`);
    await q.query('CREATE UNIQUE INDEX approvals_bill_submission ON approvals (bill_id, submission) WHERE bill_id IS NOT NULL');

    await q.query('ALTER TABLE approval_decisions DROP CONSTRAINT approval_decisions_decision_check');
    await q.query(`ALTER TABLE approval_decisions ADD CONSTRAINT approval_decisions_decision_check
      CHECK (decision IN ('approved', 'rejected', 'timeout', 'cancelled', 'escalated', 'seat_lost'))`);
    await q.query('ALTER TABLE workflow_definitions ADD COLUMN version integer NOT NULL DEFAULT 1 CHECK (version >= 1)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE workflow_definitions DROP COLUMN version');
    await q.query(`DELETE FROM approval_decisions WHERE decision = 'seat_lost'`);
    await q.query('ALTER TABLE approval_decisions DROP CONSTRAINT approval_decisions_decision_check');
    await q.query(`ALTER TABLE approval_decisions ADD CONSTRAINT approval_decisions_decision_check
      CHECK (decision IN ('approved', 'rejected', 'timeout', 'cancelled', 'escalated'))`);
    await q.query(`DELETE FROM approvals WHERE record_type = 'bill'`);
    await q.query('DROP INDEX approvals_bill_submission');
    await q.query('ALTER TABLE approvals DROP CONSTRAINT approvals_one_record');
    await q.query(`ALTER TABLE approvals ALTER COLUMN invoice_id SET NOT NULL,
      DROP COLUMN definition_version, DROP COLUMN bill_id, DROP COLUMN record_type`);
    await q.query('DROP INDEX bills_company_approval');
    await q.query(`ALTER TABLE bills DROP COLUMN approval_submissions, DROP COLUMN approval_definition_id,
      DROP COLUMN approval_status, DROP COLUMN created_by`);
    await q.query('ALTER TABLE users DROP COLUMN approval_limit');
    await q.query('DROP TABLE approver_group_members');
    await q.query('DROP TABLE approver_groups');
  }
}

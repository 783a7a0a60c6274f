import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Approver rules: a step may take several approvals (quorum) and an `escalated` entry, so a step has at most one entry
 * that closes it and at most one entry per person and kind besides; entries say who a delegate decided for and
 * through which channel. Delegations (out of office) are one per user.
 */
export class ApproverRules1764500000000 implements MigrationInterface {
  name = 'ApproverRules1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE approval_decisions DROP CONSTRAINT approval_decisions_approval_id_step_key');
    await q.query('ALTER TABLE approval_decisions DROP CONSTRAINT approval_decisions_decision_check');
    await q.query(`ALTER TABLE approval_decisions
      ADD CONSTRAINT approval_decisions_decision_check CHECK (decision IN ('approved', 'rejected', 'timeout', 'cancelled', 'escalated')),
      ADD COLUMN closes_step boolean NOT NULL DEFAULT true,
      ADD COLUMN on_behalf_of uuid REFERENCES users(id),
      ADD COLUMN via text CHECK (via IN ('api', 'email'))`);
    await q.query('CREATE UNIQUE INDEX approval_decisions_step_closed ON approval_decisions (approval_id, step) WHERE closes_step');
    await q.query('CREATE UNIQUE INDEX approval_decisions_step_entry ON approval_decisions (approval_id, step, user_id, decision) WHERE NOT closes_step');
    await q.query(`CREATE TABLE delegations (
      user_id uuid PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
      company_id uuid NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
      delegate_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      starts_at timestamptz NOT NULL,
      ends_at timestamptz NOT NULL,
      note text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK (delegate_id <> user_id),
      CHECK (ends_at > starts_at)
    )`);
    await q.query('CREATE INDEX delegations_company_delegate ON delegations (company_id, delegate_id)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE delegations');
    await q.query('DROP INDEX approval_decisions_step_entry');
    await q.query('DROP INDEX approval_decisions_step_closed');
    await q.query(`DELETE FROM approval_decisions WHERE NOT closes_step`);
    await q.query('ALTER TABLE approval_decisions DROP COLUMN via, DROP COLUMN on_behalf_of, DROP COLUMN closes_step');
    await q.query('ALTER TABLE approval_decisions DROP CONSTRAINT approval_decisions_decision_check');
    await q.query(`ALTER TABLE approval_decisions ADD CONSTRAINT approval_decisions_decision_check CHECK (decision IN ('approved', 'rejected', 'timeout', 'cancelled'))`);
    await q.query('ALTER TABLE approval_decisions ADD CONSTRAINT approval_decisions_approval_id_step_key UNIQUE (approval_id, step)');
  }
}

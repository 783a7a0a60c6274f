import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Decide from the email: each approval request or reminder email carries a link whose token is stored
 * only as its sha-256, bound to one recipient and one step of one run, valid until the run's deadline. A company may
 * cap the amount decided from email (`email_approval_limit`, null = no cap).
 */
export class ApprovalLinks1764500100000 implements MigrationInterface {
  name = 'ApprovalLinks1764500100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE approval_links (
      token_hash bytea PRIMARY KEY CHECK (octet_length(token_hash) = 32),
      company_id uuid NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
      approval_id uuid NOT NULL REFERENCES approvals(id) ON DELETE CASCADE,
      step integer NOT NULL,
      user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      expires_at timestamptz NOT NULL,
      used_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query('CREATE INDEX approval_links_approval ON approval_links (approval_id, step, user_id)');
    await q.query('ALTER TABLE companies ADD COLUMN email_approval_limit numeric(14, 2) CHECK (email_approval_limit >= 0)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE companies DROP COLUMN email_approval_limit');
    await q.query('DROP TABLE approval_links');
  }
}

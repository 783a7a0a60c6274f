import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A superseded link: when a delegation moves a pending request to someone else, the links its former
 * holder was sent for the step say so (410, moved to whom) instead of offering forms that the workflow would refuse.
 */
export class ApprovalLinkSuperseded1764700000000 implements MigrationInterface {
  name = 'ApprovalLinkSuperseded1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE approval_links
      ADD COLUMN superseded_at timestamptz,
      ADD COLUMN superseded_to uuid REFERENCES users(id) ON DELETE SET NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE approval_links DROP COLUMN superseded_to, DROP COLUMN superseded_at');
  }
}

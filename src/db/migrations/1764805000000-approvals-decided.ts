import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Decided approvals by when they were decided, for the worker's look for decisions their run never heard of (a
 * decision recorded by a workflow task the Temporal server lost): it reads the last day's, whatever the table holds.
 */
export class ApprovalsDecided1764805000000 implements MigrationInterface {
  name = 'ApprovalsDecided1764805000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX approvals_decided ON approvals (decided_at, id) WHERE status IN ('approved', 'rejected')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX approvals_decided');
  }
}

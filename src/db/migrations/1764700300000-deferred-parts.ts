import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A sweep run's deliveries that wait for the send window are delivered by workflows of their own (so that the run,
 * and the schedule's next firing, do not wait with them). Each writes its counts under its own key, absolutely, so
 * that a retried write counts nothing twice: `{ "<part>": { "deferred", "delivered", "skipped", "failed", "errors" } }`.
 * A run's figures are its own columns plus its parts.
 */
export class DeferredParts1764700300000 implements MigrationInterface {
  name = 'DeferredParts1764700300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE workflow_runs ADD COLUMN deferred_parts jsonb NOT NULL DEFAULT '{}'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE workflow_runs DROP COLUMN deferred_parts');
  }
}

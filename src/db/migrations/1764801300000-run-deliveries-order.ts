import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A run's deliveries are listed page by page in the order they were made (GET /v1/workflow-runs/:id/deliveries): one
 * index on (run_id, created_at, id) makes each page a range scan, however many the run made. It also serves what the
 * index on run_id alone served, which it replaces.
 */
export class RunDeliveriesOrder1764801300000 implements MigrationInterface {
  name = 'RunDeliveriesOrder1764801300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE INDEX deliveries_run_order ON deliveries (run_id, created_at, id)');
    await q.query('DROP INDEX deliveries_run');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('CREATE INDEX deliveries_run ON deliveries (run_id)');
    await q.query('DROP INDEX deliveries_run_order');
  }
}

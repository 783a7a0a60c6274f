import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The business gauges of /metrics (OpsMetricsRepository.counts), read at every scrape by every API process: partial
 * indexes on the few rows they count, so a scrape does not read every delivery ever made or every approval ever
 * decided. The predicates are the query's own, which is what lets the planner use them.
 */
export class OpsMetricsIndexes1764700200000 implements MigrationInterface {
  name = 'OpsMetricsIndexes1764700200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX approvals_pending_deadline ON approvals (deadline) INCLUDE (current_step, created_at)
                   WHERE status = 'pending'`);
    await q.query(`CREATE INDEX deliveries_failed_channel ON deliveries (channel) WHERE status = 'failed'`);
    await q.query(`CREATE INDEX deliveries_in_doubt_channel ON deliveries (channel) WHERE status = 'pending' AND error LIKE 'in doubt%'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX deliveries_in_doubt_channel');
    await q.query('DROP INDEX deliveries_failed_channel');
    await q.query('DROP INDEX approvals_pending_deadline');
  }
}

import type { DataSource, QueryRunner } from 'typeorm';
import { createDataSource } from '../../src/db/data-source';
import { OpsMetricsRepository } from '../../src/db/ops-metrics.repository';
import { NEAR_DEADLINE_SECONDS } from '../../src/infra/metrics';
import { seedPendingApproval } from '../support/approval-seed';
import { testEnv } from '../support/env';

/**
 * relance_approvals_near_deadline counts an approval in the last quarter of its time, at most 24 h before its deadline.
 * Each case runs in one repeatable-read transaction, rolled back: the count, global to the database, holds still while
 * other suites write, and now() is the transaction's.
 */
describe(`${OpsMetricsRepository.name} approvals near their deadline`, () => {
  let dataSource: DataSource;
  beforeAll(async () => {
    dataSource = createDataSource(testEnv().databaseUrl, 2);
    await dataSource.initialize();
  });
  afterAll(async () => {
    await dataSource?.destroy();
  });

  it.each([
    ['a one-day approval submitted an hour ago', '1 hour', '23 hours', false],
    ['a one-day approval with 5 h left', '19 hours', '5 hours', true],
    ['a 30-day approval with 23 h left', '29 days 1 hour', '23 hours', true],
    ['a 30-day approval with 25 h left', '28 days 23 hours', '25 hours', false],
    ['an approval past its deadline', '2 days', '-1 hour', true],
  ])('%s', async (_, age, left, near) => {
    const runner: QueryRunner = dataSource.createQueryRunner();
    await runner.startTransaction('REPEATABLE READ');
    try {
      const db = { query: (text: string, params?: unknown[]) => runner.query(text, params) };
      const ops = new OpsMetricsRepository(db as unknown as DataSource);
      const { approvalId } = await seedPendingApproval(db, { label: 'Near deadline' });
      const before = (await ops.counts(NEAR_DEADLINE_SECONDS)).approvalsNearDeadline;
      await runner.query(`UPDATE approvals SET created_at = now() - $2::interval, deadline = now() + $3::interval WHERE id = $1`,
        [approvalId, age, left]);
      expect((await ops.counts(NEAR_DEADLINE_SECONDS)).approvalsNearDeadline - before).toBe(near ? 1 : 0);
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  });

  it('reads the pending approvals and the failed and in-doubt deliveries through their partial indexes', async () => {
    const runner: QueryRunner = dataSource.createQueryRunner();
    await runner.startTransaction();
    try {
      // Whether the planner may use an index at all (its predicate implied by the query's), whatever the tables hold.
      await runner.query('SET LOCAL enable_seqscan = off');
      let plan = '';
      const explaining = {
        query: async (text: string, params?: unknown[]) => {
          plan = JSON.stringify(await runner.query(`EXPLAIN (FORMAT JSON) ${text}`, params));
          return [{ pending: [], near: 0, failed: [], doubt: [], overdue: 0, retrying: 0, oldest_retrying: 0 }];
        },
      };
      await new OpsMetricsRepository(explaining as unknown as DataSource).counts(NEAR_DEADLINE_SECONDS);
      const indexes = [...plan.matchAll(/"Index Name\\?":\\?"(\w+)/g)].map((m) => m[1]);
      expect(indexes).toEqual(expect.arrayContaining(['approvals_pending_deadline', 'deliveries_failed_channel', 'deliveries_in_doubt_channel']));
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  });
});

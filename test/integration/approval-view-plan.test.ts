import type { DataSource, QueryRunner } from 'typeorm';
import { ApprovalsRepository } from '../../src/db/approvals.repository';
import { createDataSource } from '../../src/db/data-source';
import { testEnv } from '../support/env';

/**
 * The approval view (every submit's and decision's answer) reads a document's decisions by its approvals' ids through
 * an index, whatever the table holds: a plan with sequential scans turned off still scanning approval_decisions means
 * no index serves the lookup, and the view's cost grows with every decision ever recorded.
 */
describe(`${ApprovalsRepository.name} view's plan`, () => {
  let dataSource: DataSource;
  beforeAll(async () => {
    dataSource = createDataSource(testEnv().databaseUrl, 2);
    await dataSource.initialize();
  });
  afterAll(async () => {
    await dataSource?.destroy();
  });

  it.each(['invoice', 'bill'] as const)('an approval of a document (%s) reads its decisions through an index', async (kind) => {
    const runner: QueryRunner = dataSource.createQueryRunner();
    await runner.startTransaction();
    try {
      await runner.query('SET LOCAL enable_seqscan = off');
      const plans: string[] = [];
      // The repository's statements go to the pg pool under the data source: here, explained in the transaction instead.
      const pool = {
        query: async ({ text, values }: { text: string; values: unknown[] }) => {
          plans.push(JSON.stringify(await runner.query(`EXPLAIN (FORMAT JSON) ${text}`, values)));
          return { rows: [] };
        },
      };
      const explaining = { driver: { master: pool } } as unknown as DataSource;
      await new ApprovalsRepository(explaining).findHistory({ kind, id: '00000000-0000-4000-8000-000000000001' }, '00000000-0000-4000-8000-000000000002');
      expect(plans).toHaveLength(1);
      const scanned = [...plans[0].matchAll(/"Node Type":"Seq Scan"[^{}]*?"Relation Name":"(\w+)"/g)].map((m) => m[1]);
      expect(scanned).not.toContain('approval_decisions');
      expect(plans[0]).toContain('"Index Name":"approval_decisions_approval"');
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  });
});

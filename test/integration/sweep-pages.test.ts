import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { createSweepActivities } from '../../src/activities/sweep.activities';
import { createDataSource } from '../../src/db/data-source';
import { testEnv } from '../support/env';
import { LedgerSeed } from '../support/ledger-seed';

// A sweep pages through matching records with one query per page; a last page that happens to be full must be known
// as the last one (no query for an empty page after it), and every record must come exactly once.
describe('sweep pages (findMatchingPage) against Postgres', () => {
  let dataSource: DataSource;
  let seed: LedgerSeed;
  let input: { definitionId: string; companyId: string; asOf: string };
  const matching: string[] = [];

  beforeAll(async () => {
    dataSource = createDataSource(testEnv().databaseUrl, 2);
    await dataSource.initialize();
    const tag = randomUUID().slice(0, 8);
    const [{ id: companyId }] = await dataSource.query(
      `INSERT INTO companies (name, locale, timezone, currency, plan) VALUES ($1, 'en-US', 'UTC', 'USD', 'advanced') RETURNING id`, [`Pages ${tag}`]);
    const [{ id: adminId }] = await dataSource.query(
      `INSERT INTO users (company_id, name, email, role) VALUES ($1, 'Ada', $2, 'admin') RETURNING id`, [companyId, `ada-${tag}@pages.test`]);
    seed = await new LedgerSeed(companyId, adminId, 'UTC').connect();
    const customer = await seed.customer('Acme');
    for (let i = 0; i < 4; i++) matching.push((await seed.invoice(customer.id, { dueIn: 1 })).id);
    await seed.invoice(customer.id, { dueIn: 30 });
    const definitionId = await seed.definition('payment-due-reminder', {
      conditions: [{ field: 'dueDate', op: 'within_days', value: 3 }],
      actions: [{ type: 'email', to: 'customer', subject: 'Due soon', body: 'Invoice {{invoice.number}}' }],
    });
    input = { definitionId, companyId, asOf: new Date().toISOString() };
  });
  afterAll(async () => {
    await seed?.end();
    await dataSource?.destroy();
  });

  const sweep = async (limit: number) => {
    const { findMatchingPage } = createSweepActivities(dataSource);
    const pages: string[][] = [];
    let cursor = null;
    do {
      const page = await findMatchingPage({ ...input, cursor, limit });
      pages.push(page.ids);
      cursor = page.nextCursor;
    } while (cursor && pages.length < 10);
    return pages;
  };

  it.each([
    [4, [4]],
    [3, [3, 1]],
    [2, [2, 2]],
    [5, [4]],
  ])('pages of %i: %j records, each once', async (limit, sizes) => {
    const pages = await sweep(limit);
    expect(pages.map((p) => p.length)).toEqual(sizes);
    expect(pages.flat().sort()).toEqual([...matching].sort());
  });
});

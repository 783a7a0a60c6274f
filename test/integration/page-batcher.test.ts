import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { SqlFilter } from '../../src/db/sql-filter';
import { jsonPage } from '../../src/db/pagination';
import type { ListQueryDto } from '../../src/api/common/pagination';
import { createDataSource } from '../../src/db/data-source';
import { preparedSql, type Sql } from '../../src/db/sql';
import { testEnv } from '../support/env';

interface Request {
  companyId: string;
  statuses?: string[];
  dueFrom?: string;
  query: ListQueryDto;
}

/**
 * Concurrent invoice pages go to Postgres batched (PageBatcher): whatever ends up in one statement, each request must
 * get exactly the page it gets alone, from its own company only, and a request Postgres refuses fails alone.
 */
describe('invoice pages read together (PageBatcher) against Postgres', () => {
  let dataSource: DataSource;
  let statements: string[];
  let db: Sql;
  const companies: { id: string; invoiceIds: Set<string> }[] = [];

  beforeAll(async () => {
    dataSource = createDataSource(testEnv().databaseUrl, 4);
    await dataSource.initialize();
    const prepared = preparedSql(dataSource);
    statements = [];
    db = { query: (text, params) => { statements.push(text); return prepared.query(text, params); } };
    for (const [n, count] of [[1, 7], [2, 5]]) {
      const tag = randomUUID().slice(0, 8);
      const [{ id }] = await dataSource.query(
        `INSERT INTO companies (name, locale, timezone, currency, plan) VALUES ($1, 'en-US', 'UTC', 'USD', 'advanced') RETURNING id`, [`Batch ${n} ${tag}`]);
      const [{ id: userId }] = await dataSource.query(
        `INSERT INTO users (company_id, name, email, role) VALUES ($1, 'Bo', $2, 'admin') RETURNING id`, [id, `bo-${tag}@batch.test`]);
      const [{ id: customerId }] = await dataSource.query(`INSERT INTO customers (company_id, name) VALUES ($1, 'Acme') RETURNING id`, [id]);
      const invoiceIds = new Set<string>();
      for (let i = 0; i < count; i++) {
        const [{ id: invoiceId }] = await dataSource.query(
          `INSERT INTO invoices (company_id, number, customer_id, amount, balance, issue_date, due_date, created_by, approval_status, created_at)
           VALUES ($1, $2, $3, '10.00', '10.00', '2026-11-01', $4, $5, $6, date_trunc('milliseconds', now()) + make_interval(secs => $7)) RETURNING id`,
          [id, `B${n}-${i}`, customerId, `2026-12-0${1 + (i % 9)}`, userId, i % 2 ? 'approved' : 'pending_approval', i]);
        invoiceIds.add(invoiceId);
      }
      companies.push({ id, invoiceIds });
    }
  });
  afterAll(async () => {
    await dataSource?.destroy();
  });

  const page = async (r: Request, batch = true) => {
    const f = new SqlFilter();
    f.and(`i.company_id = ${f.param(r.companyId, 'uuid')}`);
    if (r.statuses) f.and(`i.approval_status = ANY(${f.param(r.statuses, 'text[]')})`);
    if (r.dueFrom) f.and(`i.due_date >= ${f.param(r.dueFrom, 'date')}`);
    // Batched whatever the filters, to check the mechanism on every kind of parameter (the API batches fewer shapes).
    return (await jsonPage(db, { table: 'invoices', alias: 'i', json: 'i.view_json', filter: f, batch }, r.query)).toString('utf8');
  };
  const parsed = (text: string) => JSON.parse(text) as { data: { id: string }[]; nextCursor: string | null };

  it('answers each request what it reads alone, whatever shares its statement', async () => {
    const [a, b] = companies;
    const firstOfA = parsed(await page({ companyId: a.id, query: { limit: 3 } }));
    const requests: Request[] = [
      { companyId: a.id, query: { limit: 3 } },
      { companyId: b.id, query: { limit: 3 } },
      { companyId: a.id, query: { limit: 3, cursor: firstOfA.nextCursor! } },
      { companyId: a.id, query: { limit: 2 } },
      { companyId: a.id, statuses: ['approved'], query: {} },
      { companyId: b.id, statuses: ['approved', 'pending_approval'], query: {} },
      { companyId: a.id, dueFrom: '2026-12-04', query: { limit: 10 } },
      { companyId: b.id, query: { limit: 3 } },
      { companyId: a.id, query: { limit: 3 } },
    ];
    const alone: string[] = [];
    for (const r of requests) alone.push(await page(r));

    statements.length = 0;
    const together = await Promise.all(requests.map((r) => page(r)));
    expect(together).toEqual(alone);
    expect(statements.some((s) => s.includes('jsonb_array_elements'))).toBe(true);
    expect(statements.length).toBeLessThan(requests.length);

    requests.forEach((r, i) => {
      const own = companies.find((c) => c.id === r.companyId)!.invoiceIds;
      for (const invoice of parsed(together[i]).data) expect(own.has(invoice.id)).toBe(true);
    });
    expect(parsed(together[1]).data).toHaveLength(3);
    expect(parsed(together[2]).data.map((i) => i.id)).not.toContain(firstOfA.data[2].id);
    expect(parsed(together[4]).data).toHaveLength(3);
  });

  it('runs each page alone unless its source says it may be batched', async () => {
    const [a, b] = companies;
    statements.length = 0;
    const requests = [a, b, a, b, a, b].map((c) => ({ companyId: c.id, statuses: ['approved'], query: { limit: 3 } }));
    const pages = await Promise.all(requests.map((r) => page(r, false)));
    expect(statements).toHaveLength(requests.length);
    expect(statements.some((s) => s.includes('jsonb_array_elements'))).toBe(false);
    expect(pages).toEqual(await Promise.all(requests.map((r) => page(r))));
  });

  it('fails only the request Postgres refuses', async () => {
    const [a, b] = companies;
    const bad = { companyId: a.id, dueFrom: '2026-02-30', query: { limit: 3 } };
    const good = { companyId: b.id, dueFrom: '2026-12-01', query: { limit: 3 } };
    const expected = await page(good);
    statements.length = 0;
    // The first two run at once; the four that arrive meanwhile share one statement, which Postgres refuses.
    const results = await Promise.allSettled([good, good, bad, good, bad, good].map((r) => page(r)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'rejected', 'fulfilled']);
    for (const i of [0, 1, 3, 5]) expect((results[i] as PromiseFulfilledResult<string>).value).toBe(expected);
    expect(String((results[2] as PromiseRejectedResult).reason)).toMatch(/date/);
    expect(statements.filter((s) => s.includes('jsonb_array_elements'))).toHaveLength(1);
  });
});

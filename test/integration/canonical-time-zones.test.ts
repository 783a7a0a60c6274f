import { Runtime } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../../src/db/data-source';
import { CanonicalTimeZones1764801100000 } from '../../src/db/migrations/1764801100000-canonical-time-zones';
import { testEnv } from '../support/env';

/** The migration that stores every zone canonical: what the API stored before it (aliases) becomes the zone's name. */
describe(CanonicalTimeZones1764801100000.name, () => {
  let ds: DataSource;
  beforeAll(async () => {
    ds = await createDataSource(testEnv().databaseUrl, 1, undefined, { statementTimeoutMs: 0 }).initialize();
  });
  afterAll(async () => {
    await ds?.destroy();
    await Runtime.instance().shutdown().catch(() => undefined);
  });

  it('converts companies\' and customers\' aliases to their IANA canonical zones and leaves the rest', async () => {
    const company = async (timezone: string) => (await ds.query(
      `INSERT INTO companies (name, locale, timezone, currency, plan) VALUES ($1, 'en-US', $2, 'CAD', 'advanced') RETURNING id`,
      [`Zones ${randomUUID().slice(0, 8)}`, timezone],
    ))[0].id as string;
    const montreal = await company('America/Montreal');
    const lower = await company('us/eastern');
    const toronto = await company('America/Toronto');
    const odd = await company('Etc/GMT+5');
    const kolkata = await company('Asia/Kolkata');
    const calcutta = await company('Asia/Calcutta');
    const customers: { id: string }[] = await ds.query(
      `INSERT INTO customers (company_id, name, timezone) VALUES ($1, 'a', 'Canada/Pacific'), ($1, 'b', NULL), ($1, 'c', 'Europe/Paris'), ($1, 'd', 'Europe/Kyiv'), ($1, 'e', 'Europe/Kiev') RETURNING id`,
      [toronto],
    );

    const runner = ds.createQueryRunner();
    try {
      await new CanonicalTimeZones1764801100000().up(runner);
    } finally {
      await runner.release();
    }

    const zones = async (table: string, ids: string[]) => (await ds.query(`SELECT id, timezone FROM ${table} WHERE id = ANY($1)`, [ids]) as { id: string; timezone: string | null }[])
      .sort((a, b) => ids.indexOf(a.id) - ids.indexOf(b.id)).map((r) => r.timezone);
    expect(await zones('companies', [montreal, lower, toronto, odd, kolkata, calcutta]))
      .toEqual(['America/Toronto', 'America/New_York', 'America/Toronto', 'Etc/GMT+5', 'Asia/Kolkata', 'Asia/Kolkata']);
    expect(await zones('customers', customers.map((c) => c.id))).toEqual(['America/Vancouver', null, 'Europe/Paris', 'Europe/Kyiv', 'Europe/Kyiv']);
  });
});

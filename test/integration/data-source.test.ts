import { Runtime } from '@temporalio/worker';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../../src/db/data-source';
import { testEnv } from '../support/env';

/** The services' connections to the real Postgres carry their limits; the migration CLI's does not. */
describe('the data source limits', () => {
  const opened: DataSource[] = [];
  const open = async (...args: Parameters<typeof createDataSource> extends [string, ...infer R] ? R : never) => {
    const ds = await createDataSource(testEnv().databaseUrl, ...args).initialize();
    opened.push(ds);
    return ds;
  };
  const show = async (ds: DataSource, setting: string) => (await ds.query(`SHOW ${setting}`))[0][setting];
  afterAll(async () => {
    await Promise.all(opened.map((ds) => ds.destroy()));
    await Runtime.instance().shutdown().catch(() => undefined);
  });

  it('bounds a statement at 30 s and a transaction left idle at a minute', async () => {
    const ds = await open(1);
    expect(await show(ds, 'statement_timeout')).toBe('30s');
    expect(await show(ds, 'idle_in_transaction_session_timeout')).toBe('1min');
  });

  it('cancels a statement past its limit (SQLSTATE 57014, which the API answers 503 and activities retry)', async () => {
    const ds = await open(1, undefined, { statementTimeoutMs: 200 });
    await expect(ds.query('SELECT pg_sleep(2)')).rejects.toMatchObject({ driverError: expect.objectContaining({ code: '57014' }) });
    expect(await show(ds, 'statement_timeout')).toBe('200ms'); // the connection is still good
  });

  it('has no limit for migrations (statementTimeoutMs 0)', async () => {
    const ds = await open(1, undefined, { statementTimeoutMs: 0 });
    expect(await show(ds, 'statement_timeout')).toBe('0');
  });
});

import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../../src/db/data-source';
import { IdempotencyKeysRepository } from '../../src/db/idempotency-keys.repository';
import { seedPendingApproval } from '../support/approval-seed';
import { testEnv } from '../support/env';

/**
 * Only the holder of an Idempotency-Key's claim keeps its answer or frees it: a request that outlived its claim's lease
 * (taken over by the same request retried) must neither overwrite the new claim's answer nor free it, or the request
 * would run a third time.
 */
describe(`${IdempotencyKeysRepository.name} claims`, () => {
  let dataSource: DataSource;
  beforeAll(async () => {
    dataSource = createDataSource(testEnv().databaseUrl, 2);
    await dataSource.initialize();
  });
  afterAll(async () => {
    await dataSource?.destroy();
  });

  it('a request taken over after its lease neither keeps its answer nor frees the new claim', async () => {
    const { companyId, userId } = await ownUser(dataSource);
    const keys = new IdempotencyKeysRepository(dataSource);
    const key = `slow-${randomUUID()}`;
    const hash = 'a'.repeat(64);
    const slow = await keys.claim(companyId, userId, key, '/v1/invoices/x/approve', hash);
    expect(slow).toBeDefined();
    expect(await keys.claim(companyId, userId, key, '/v1/invoices/x/approve', hash)).toBeUndefined();
    await dataSource.query(`UPDATE idempotency_keys SET created_at = created_at - interval '2 minutes 1 second' WHERE key = $1`, [key]);
    const retry = await keys.claim(companyId, userId, key, '/v1/invoices/x/approve', hash);
    expect(retry).toBeDefined();
    expect(retry).not.toBe(slow);

    await keys.release(companyId, userId, key, slow!);
    await keys.keepResponse(companyId, userId, key, slow!, 500, 'sealed-by-the-slow-one');
    expect(await keys.findLive(companyId, userId, key)).toEqual({ requestHash: hash, statusCode: null, response: null });

    await keys.keepResponse(companyId, userId, key, retry!, 200, 'sealed-by-the-retry');
    expect(await keys.findLive(companyId, userId, key)).toEqual({ requestHash: hash, statusCode: 200, response: 'sealed-by-the-retry' });
    await keys.release(companyId, userId, key, retry!);
    expect(await keys.findLive(companyId, userId, key)).toMatchObject({ statusCode: 200 });
  });
});

/** A company and user of this test's own (the keys reference both). */
async function ownUser(dataSource: DataSource): Promise<{ companyId: string; userId: string }> {
  const seeded = await seedPendingApproval({ query: (text, params) => dataSource.query(text, params) }, { label: 'Idempotency claims' });
  return { companyId: seeded.companyId, userId: seeded.creator.id };
}

import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { parseSecretKeys } from '../../src/config';
import { createDataSource } from '../../src/db/data-source';
import { IdempotencyKeysRepository } from '../../src/db/idempotency-keys.repository';
import { WebhooksRepository } from '../../src/db/webhooks.repository';
import { SecretBox } from '../../src/infra/secret-box';
import { sealWebhookSecrets } from '../../src/infra/webhook-deliveries';
import { testEnv } from '../support/env';

/** Against the real Postgres: expired Idempotency-Keys are forgotten; webhook secrets in clear are sealed at worker start. */
describe('secrets at rest', () => {
  let dataSource: DataSource;
  let companyId: string;
  let userId: string;

  beforeAll(async () => {
    dataSource = await createDataSource(testEnv().databaseUrl, 2).initialize();
    const [company] = await dataSource.query(
      `INSERT INTO companies (name, locale, timezone, currency, plan) VALUES ($1, 'en-US', 'UTC', 'CAD', 'advanced') RETURNING id`,
      [`Secrets ${randomUUID().slice(0, 8)}`]);
    companyId = company.id;
    const [user] = await dataSource.query(
      `INSERT INTO users (company_id, name, email, role) VALUES ($1, 'Ada', $2, 'admin') RETURNING id`, [companyId, `ada-${randomUUID()}@acme.test`]);
    userId = user.id;
  });
  afterAll(async () => {
    await dataSource?.query('DELETE FROM companies WHERE id = $1', [companyId]);
    await dataSource?.destroy();
  });

  it(`${IdempotencyKeysRepository.name}.purgeExpired forgets the keys kept more than 24 h, and only those`, async () => {
    const keys = new IdempotencyKeysRepository(dataSource);
    expect(await keys.claim(companyId, userId, 'old', '/v1/x', 'a'.repeat(64))).toBeDefined();
    expect(await keys.claim(companyId, userId, 'fresh', '/v1/x', 'b'.repeat(64))).toBeDefined();
    await dataSource.query(
      `UPDATE idempotency_keys SET created_at = now() - interval '24 hours 1 second' WHERE company_id = $1 AND key = 'old'`, [companyId]);
    expect(await keys.findLive(companyId, userId, 'old')).toBeUndefined();
    await keys.purgeExpired();
    const left: { key: string }[] = await dataSource.query('SELECT key FROM idempotency_keys WHERE company_id = $1 ORDER BY key', [companyId]);
    expect(left.map((r) => r.key)).toEqual(['fresh']);
  });

  it(`${sealWebhookSecrets.name} seals secrets stored in clear and re-seals those of an older key, which then may go`, async () => {
    const webhooks = new WebhooksRepository(dataSource);
    const k1 = parseSecretKeys(`retired-k1:${Buffer.alloc(32, 1).toString('base64')}`);
    // The suites' own key seals now: what this changes beyond this test's rows stays readable by every stack.
    const current = parseSecretKeys(process.env.RELANCE_SECRET_KEYS);
    const plain = await webhooks.insertEndpoint({ companyId, url: 'http://127.0.0.1:9/plain', events: ['*'], secret: 'whsec_plain' });
    const old = await webhooks.insertEndpoint({
      companyId, url: 'http://127.0.0.1:9/old', events: ['*'], secret: new SecretBox(k1).seal('whsec_old', 'webhook-secret'),
    });
    await dataSource.query(`UPDATE webhook_endpoints SET previous_secret = 'whsec_before', secret_rotated_at = now() WHERE id = $1`, [old.id]);

    const box = new SecretBox([...current, ...k1]);
    expect(await sealWebhookSecrets(dataSource, box)).toBeGreaterThanOrEqual(2);
    const rows: { id: string; secret: string; previous_secret: string | null }[] = await dataSource.query(
      'SELECT id, secret, previous_secret FROM webhook_endpoints WHERE company_id = $1', [companyId]);
    const byId = Object.fromEntries(rows.map((r) => [r.id, r]));
    expect(JSON.stringify(rows)).not.toContain('whsec_');
    const withoutK1 = new SecretBox(current);
    expect(withoutK1.open(byId[plain.id].secret, 'webhook-secret')).toBe('whsec_plain');
    expect(byId[plain.id].previous_secret).toBeNull();
    expect(withoutK1.open(byId[old.id].secret, 'webhook-secret')).toBe('whsec_old');
    expect(withoutK1.open(byId[old.id].previous_secret!, 'webhook-secret')).toBe('whsec_before');
    const again = await sealWebhookSecrets(dataSource, box);
    expect((await dataSource.query('SELECT secret FROM webhook_endpoints WHERE id = $1', [plain.id]))[0].secret).toBe(byId[plain.id].secret);
    expect(again).toBeGreaterThanOrEqual(0);
  });
});

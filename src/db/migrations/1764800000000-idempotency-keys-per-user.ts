import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An `Idempotency-Key` belongs to the user who sent it (another user's request with the same key is a request of its
 * own) and its kept answer is sealed (AES-256-GCM, src/infra/secret-box.ts) and kept 24 h. The keys kept so far
 * cannot be given a user and hold answers in clear (API keys, webhook secrets): they are dropped, so a retry of a
 * request sent before the upgrade runs again.
 */
export class IdempotencyKeysPerUser1764800000000 implements MigrationInterface {
  name = 'IdempotencyKeysPerUser1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('DELETE FROM idempotency_keys');
    await q.query('ALTER TABLE idempotency_keys DROP CONSTRAINT idempotency_keys_pkey');
    await q.query('ALTER TABLE idempotency_keys ADD COLUMN user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE');
    await q.query('ALTER TABLE idempotency_keys ADD PRIMARY KEY (company_id, user_id, key)');
    await q.query('ALTER TABLE idempotency_keys DROP COLUMN response');
    await q.query('ALTER TABLE idempotency_keys ADD COLUMN response text');
    await q.query('CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DELETE FROM idempotency_keys');
    await q.query('DROP INDEX idempotency_keys_created');
    await q.query('ALTER TABLE idempotency_keys DROP COLUMN response');
    await q.query('ALTER TABLE idempotency_keys ADD COLUMN response jsonb');
    await q.query('ALTER TABLE idempotency_keys DROP CONSTRAINT idempotency_keys_pkey');
    await q.query('ALTER TABLE idempotency_keys DROP COLUMN user_id');
    await q.query('ALTER TABLE idempotency_keys ADD PRIMARY KEY (company_id, key)');
  }
}

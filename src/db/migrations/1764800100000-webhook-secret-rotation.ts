import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Webhook endpoints keep the secret a rotation replaced, and when, to sign with both for a day. The company's
 * `webhook_secret` goes: its copy in the company's webhook endpoint is the one that signs. The secrets already stored
 * are sealed by the worker at its start (sealWebhookSecrets): it has RELANCE_SECRET_KEYS, a migration may run without.
 */
export class WebhookSecretRotation1764800100000 implements MigrationInterface {
  name = 'WebhookSecretRotation1764800100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE webhook_endpoints ADD COLUMN previous_secret text, ADD COLUMN secret_rotated_at timestamptz');
    await q.query('ALTER TABLE companies DROP COLUMN webhook_secret');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE companies ADD COLUMN webhook_secret text');
    await q.query('ALTER TABLE webhook_endpoints DROP COLUMN previous_secret, DROP COLUMN secret_rotated_at');
  }
}

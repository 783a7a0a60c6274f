import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Webhooks for integrators: endpoints, the events recorded with the facts they describe, one delivery
 * per event and subscribed endpoint (which a Temporal workflow drives; `dispatched_at` stays null until Temporal has
 * it), and every attempt. A company's `webhookUrl` (push notifications) becomes an endpoint of `source` 'company'.
 */
export class Webhooks1764400000000 implements MigrationInterface {
  name = 'Webhooks1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE webhook_endpoints (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
      url text NOT NULL,
      events text[] NOT NULL CHECK (cardinality(events) > 0),
      secret text NOT NULL,
      source text NOT NULL DEFAULT 'api' CHECK (source IN ('api', 'company')),
      created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query('CREATE INDEX webhook_endpoints_company ON webhook_endpoints (company_id, created_at, id)');
    await q.query(`CREATE UNIQUE INDEX webhook_endpoints_company_push ON webhook_endpoints (company_id) WHERE source = 'company'`);

    await q.query(`CREATE TABLE webhook_events (
      id uuid PRIMARY KEY,
      company_id uuid NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
      type text NOT NULL,
      data jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now())
    )`);

    await q.query(`CREATE TABLE webhook_deliveries (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
      event_id uuid NOT NULL REFERENCES webhook_events(id) ON DELETE CASCADE,
      endpoint_id uuid NOT NULL REFERENCES webhook_endpoints(id) ON DELETE CASCADE,
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'retrying', 'delivered', 'failed')),
      attempts integer NOT NULL DEFAULT 0,
      next_attempt_at timestamptz,
      dispatched_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (event_id, endpoint_id)
    )`);
    await q.query('CREATE INDEX webhook_deliveries_undispatched ON webhook_deliveries (created_at) WHERE dispatched_at IS NULL');
    await q.query(`CREATE INDEX webhook_deliveries_retrying ON webhook_deliveries (endpoint_id) WHERE status = 'retrying'`);
    await q.query('CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id)');

    await q.query(`CREATE TABLE webhook_attempts (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
      endpoint_id uuid NOT NULL REFERENCES webhook_endpoints(id) ON DELETE CASCADE,
      delivery_id uuid NOT NULL REFERENCES webhook_deliveries(id) ON DELETE CASCADE,
      attempt integer NOT NULL,
      status_code integer,
      error text,
      duration_ms integer NOT NULL,
      created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now())
    )`);
    await q.query('CREATE INDEX webhook_attempts_endpoint ON webhook_attempts (endpoint_id, created_at, id)');
    await q.query('CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_id)');

    // The push notifications' webhooks, with their secret: a receiver that verifies with it keeps working.
    await q.query(`INSERT INTO webhook_endpoints (company_id, url, events, secret, source)
      SELECT id, webhook_url, ARRAY['notification.pushed'], webhook_secret, 'company'
        FROM companies WHERE webhook_url IS NOT NULL AND webhook_secret IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE webhook_attempts');
    await q.query('DROP TABLE webhook_deliveries');
    await q.query('DROP TABLE webhook_events');
    await q.query('DROP TABLE webhook_endpoints');
  }
}

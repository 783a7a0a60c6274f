import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit trail: who (user, API key, client address) changed what, and when. Each entry is written in the
 * transaction of the change it records. Append-only: Postgres itself refuses to change, delete or truncate an
 * entry, whatever the code that asks; and a company with entries cannot be deleted (the key has no cascade).
 * `actor_id` and `api_key_id` are not keys: an entry outlives whatever it names.
 */
export class AuditEvents1764800900000 implements MigrationInterface {
  name = 'AuditEvents1764800900000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_events (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        company_id uuid NOT NULL REFERENCES companies(id),
        type text NOT NULL,
        actor_id uuid,
        api_key_id uuid,
        client_address text,
        target_type text NOT NULL,
        target_id uuid,
        data jsonb NOT NULL DEFAULT '{}',
        -- the clock, not the transaction's start: the entries of one transaction keep their order
        created_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await q.query('CREATE INDEX audit_events_company_created ON audit_events (company_id, created_at DESC, id DESC)');
    await q.query('CREATE INDEX audit_events_company_actor ON audit_events (company_id, actor_id, created_at DESC, id DESC)');
    await q.query('CREATE INDEX audit_events_company_type ON audit_events (company_id, type, created_at DESC, id DESC)');
    await q.query(`
      CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP;
      END $$`);
    await q.query(`CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
      FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()`);
    await q.query(`CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
      FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE audit_events');
    await q.query('DROP FUNCTION audit_events_append_only()');
  }
}

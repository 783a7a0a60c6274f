import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Email-link sign-in and console sessions. Every token is stored as its SHA-256 only: a link's, a session's and its
 * CSRF token's. A link names an email address (every active user of it may sign in) or, for an invitation, the one
 * user invited. A session ends by `ended_at` (signed out, ended by its user, user deactivated) or by time, which the
 * API judges from `created_at` and `last_seen_at`.
 */
export class Sessions1764801000000 implements MigrationInterface {
  name = 'Sessions1764801000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE sign_in_links (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        token_hash bytea NOT NULL UNIQUE,
        email text NOT NULL,
        user_id uuid REFERENCES users(id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        used_at timestamptz
      )`);
    await q.query('CREATE INDEX sign_in_links_expires ON sign_in_links (expires_at)');
    // A sign-in link is asked by address, across companies.
    await q.query('CREATE INDEX users_email ON users (email)');
    await q.query(`
      CREATE TABLE sessions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        company_id uuid NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        token_hash bytea NOT NULL UNIQUE,
        csrf_hash bytea NOT NULL,
        user_agent text CHECK (length(user_agent) <= 200),
        client_address text,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_seen_at timestamptz NOT NULL DEFAULT now(),
        ended_at timestamptz,
        end_reason text CHECK (end_reason IN ('signed_out', 'ended_by_user', 'user_deactivated')),
        CHECK ((ended_at IS NULL) = (end_reason IS NULL))
      )`);
    await q.query('CREATE INDEX sessions_user_open ON sessions (user_id, created_at DESC) WHERE ended_at IS NULL');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE sessions');
    await q.query('DROP INDEX users_email');
    await q.query('DROP TABLE sign_in_links');
  }
}

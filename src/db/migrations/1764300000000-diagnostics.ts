import { MigrationInterface, QueryRunner } from 'typeorm';

export class Diagnostics1764300000000 implements MigrationInterface {
  name = 'Diagnostics1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE diagnostic_pings (
      id uuid PRIMARY KEY,
      workflow_id text NOT NULL,
      worker_identity text NOT NULL,
      recorded_at timestamptz NOT NULL DEFAULT now()
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE diagnostic_pings');
  }
}

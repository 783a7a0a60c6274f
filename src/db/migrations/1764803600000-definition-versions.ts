import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every version of a workflow definition, with its content as it was saved: an edit of an approval definition that
 * has been active makes the next version, and a run keeps the version it started with (approvals.definition_version),
 * so the content it ran under stays readable. Every existing definition gets its version as of now.
 */
export class DefinitionVersions1764803600000 implements MigrationInterface {
  name = 'DefinitionVersions1764803600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE workflow_definition_versions (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      definition_id uuid NOT NULL REFERENCES workflow_definitions(id) ON DELETE CASCADE,
      company_id uuid NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
      version integer NOT NULL CHECK (version >= 1),
      name text NOT NULL,
      conditions jsonb NOT NULL,
      actions jsonb NOT NULL,
      schedule jsonb,
      sequence jsonb,
      created_by uuid REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
      UNIQUE (definition_id, version)
    )`);
    await q.query(`INSERT INTO workflow_definition_versions
        (definition_id, company_id, version, name, conditions, actions, schedule, sequence, created_by, created_at)
      SELECT id, company_id, version, name, conditions, actions, schedule, sequence, created_by, date_trunc('milliseconds', updated_at)
        FROM workflow_definitions`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE workflow_definition_versions');
  }
}

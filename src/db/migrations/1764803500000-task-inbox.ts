import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tasks as a team inbox: a task may go to a candidate group (an approver group) instead of, or beside, one assignee,
 * and one member claims it; a due day and a follow-up day in the company's calendar; comments. The claim is one
 * conditional UPDATE, so two members claiming at once cannot both win. A task's due day is its due_date, else the day
 * due_at falls on in the company's zone: an expression of the zone, so due filters and that sort read the company's
 * tasks (found by company_id) rather than an index of due days.
 */
export class TaskInbox1764803500000 implements MigrationInterface {
  name = 'TaskInbox1764803500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tasks
      ALTER COLUMN assignee_id DROP NOT NULL,
      ADD COLUMN due_date date,
      ADD COLUMN follow_up_date date,
      ADD COLUMN candidate_group_id uuid REFERENCES approver_groups(id) ON DELETE SET NULL,
      ADD COLUMN claimed_by uuid REFERENCES users(id),
      ADD COLUMN claimed_at timestamptz,
      ADD CONSTRAINT tasks_claim_whole CHECK ((claimed_by IS NULL) = (claimed_at IS NULL))`);
    await q.query('CREATE INDEX tasks_candidate_group ON tasks (company_id, candidate_group_id, created_at, id) WHERE candidate_group_id IS NOT NULL');
    await q.query('CREATE INDEX tasks_claimed_by ON tasks (company_id, claimed_by, created_at, id) WHERE claimed_by IS NOT NULL');
    await q.query(`CREATE TABLE task_comments (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      company_id uuid NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
      task_id uuid NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
      author_id uuid NOT NULL REFERENCES users(id),
      body text NOT NULL CHECK (length(btrim(body)) BETWEEN 1 AND 4000),
      created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now())
    )`);
    await q.query('CREATE INDEX task_comments_task ON task_comments (task_id, created_at, id)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE task_comments');
    await q.query('DROP INDEX tasks_claimed_by');
    await q.query('DROP INDEX tasks_candidate_group');
    await q.query('DELETE FROM tasks WHERE assignee_id IS NULL');
    await q.query(`ALTER TABLE tasks DROP CONSTRAINT tasks_claim_whole, DROP COLUMN claimed_at, DROP COLUMN claimed_by,
      DROP COLUMN candidate_group_id, DROP COLUMN follow_up_date, DROP COLUMN due_date, ALTER COLUMN assignee_id SET NOT NULL`);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An approval's decisions by its id. Since the approver rules replaced the unique (approval_id, step) with two partial
 * indexes, a lookup by approval alone (the approval view's trail and names, every decision's answer) matched neither
 * and read the whole table: a cost that grew with every decision ever recorded.
 */
export class ApprovalDecisionsByApproval1764804000000 implements MigrationInterface {
  name = 'ApprovalDecisionsByApproval1764804000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE INDEX approval_decisions_approval ON approval_decisions (approval_id, step)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX approval_decisions_approval');
  }
}

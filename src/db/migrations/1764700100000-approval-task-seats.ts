import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One task per seat: a person may hold two seats of a step (their own and a delegator's), each with its
 * own task, so that a delegation ending or an approval short of the quorum moves or closes that seat's task only.
 * Tasks opened before this have none and keep the old rule (every task of the person).
 */
export class ApprovalTaskSeats1764700100000 implements MigrationInterface {
  name = 'ApprovalTaskSeats1764700100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE tasks ADD COLUMN approval_seat_id uuid REFERENCES users(id)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE tasks DROP COLUMN approval_seat_id');
  }
}

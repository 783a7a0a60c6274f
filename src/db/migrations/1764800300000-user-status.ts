import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Users can be deactivated (offboarding): an inactive user's keys no longer authenticate, their decision links no
 * longer decide, and no new approval asks them. Existing users stay active.
 */
export class UserStatus1764800300000 implements MigrationInterface {
  name = 'UserStatus1764800300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users ADD COLUMN status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE users DROP COLUMN status');
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each claim of a delivery row writes a token of its own, so that a claim whose statement was cut off with its
 * connection (it may or may not have landed) can be given back without touching a row that an earlier attempt left
 * pending (which may have been sent: in doubt).
 */
export class DeliveryClaims1764300400000 implements MigrationInterface {
  name = 'DeliveryClaims1764300400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE deliveries ADD COLUMN claim uuid');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE deliveries DROP COLUMN claim');
  }
}

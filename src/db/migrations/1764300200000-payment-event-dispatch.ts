import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A payment's `payment-received` automation is dispatched after the payment commits; `events_dispatched_at` stays
 * null until Temporal has it, so a worker can dispatch what a failed or interrupted request left behind.
 */
export class PaymentEventDispatch1764300200000 implements MigrationInterface {
  name = 'PaymentEventDispatch1764300200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE payments ADD COLUMN events_dispatched_at timestamptz');
    await q.query('UPDATE payments SET events_dispatched_at = created_at');
    await q.query('CREATE INDEX payments_events_pending ON payments (created_at) WHERE events_dispatched_at IS NULL');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX payments_events_pending');
    await q.query('ALTER TABLE payments DROP COLUMN events_dispatched_at');
  }
}

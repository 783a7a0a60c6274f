import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The counters of the abuse limits (sign-ups per address, delegation changes per user, wrong decision links per
 * address), shared by every API process. The layout is the one rate-limiter-flexible's RateLimiterPostgres reads and
 * writes (`<kind>:<key>`, points used, end of the window in epoch milliseconds); made here so that the API never
 * creates tables at run time. The index serves its periodic delete of ended windows.
 */
export class RateLimits1764800400000 implements MigrationInterface {
  name = 'RateLimits1764800400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE rate_limits (
      key varchar(255) PRIMARY KEY,
      points integer NOT NULL DEFAULT 0,
      expire bigint
    )`);
    await q.query('CREATE INDEX rate_limits_expire ON rate_limits (expire)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE rate_limits');
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';
import { canonicalTimeZone } from '../../domain/time-zones';

/**
 * The API now stores a zone as IANA's canonical name (America/Montreal as America/Toronto, Asia/Calcutta as
 * Asia/Kolkata), so that every answer is a value of the document's TimeZone enum; this converts what was stored before,
 * companies' and customers' zones. A canonical name and a name canonicalTimeZone does not know stay as they are.
 * Nothing to undo: both names are the same zone.
 */
export class CanonicalTimeZones1764801100000 implements MigrationInterface {
  name = 'CanonicalTimeZones1764801100000';

  async up(q: QueryRunner): Promise<void> {
    for (const table of ['companies', 'customers']) {
      const stored: { timezone: string }[] = await q.query(`SELECT DISTINCT timezone FROM ${table} WHERE timezone IS NOT NULL`);
      for (const { timezone } of stored) {
        const canonical = canonicalTimeZone(timezone);
        if (canonical && canonical !== timezone) await q.query(`UPDATE ${table} SET timezone = $1 WHERE timezone = $2`, [canonical, timezone]);
      }
    }
  }

  async down(): Promise<void> {
    // The aliases are not kept; the canonical names mean the same zones.
  }
}

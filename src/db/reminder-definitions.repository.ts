import type { DataSource } from 'typeorm';
import { SCHEDULED_TEMPLATE_KEYS } from '../contracts';

/** A DataSource or the EntityManager of a transaction. */
export type Queryable = Pick<DataSource, 'query'>;

/** What a schedule is built from: the definition (as the caller has it, possibly not yet committed). */
export interface ScheduledDefinition {
  id: string;
  companyId: string;
  templateKey: string;
  name: string;
  status: string;
  schedule: { time: string } | null;
}

export interface CompanyFacts {
  name: string;
  timezone: string;
  plan: string;
}

/** What the reminder schedules are kept in line with: the scheduled definitions and their company. */
export class ReminderDefinitionsRepository {
  /** `db` may be a transaction's manager: a definition being saved is read as the transaction has it. */
  constructor(private readonly db: Queryable) {}

  async idsOfCompany(companyId: string): Promise<string[]> {
    const rows: { id: string }[] = await this.db.query(
      'SELECT id FROM workflow_definitions WHERE company_id = $1 AND template_key = ANY($2)', [companyId, SCHEDULED_TEMPLATE_KEYS]);
    return rows.map((r) => r.id);
  }

  /** Every scheduled definition of every company, with the company's plan. */
  async allWithPlan(): Promise<Array<ScheduledDefinition & { plan: string }>> {
    const rows: Record<string, unknown>[] = await this.db.query(
      `SELECT d.id, d.company_id, d.template_key, d.name, d.status, d.schedule, c.plan
         FROM workflow_definitions d JOIN companies c ON c.id = d.company_id
        WHERE d.template_key = ANY($1)`,
      [SCHEDULED_TEMPLATE_KEYS],
    );
    return rows.map((r) => ({
      id: String(r.id), companyId: String(r.company_id), templateKey: String(r.template_key), name: String(r.name), status: String(r.status),
      schedule: r.schedule as ScheduledDefinition['schedule'], plan: String(r.plan),
    }));
  }

  async companyFacts(companyId: string): Promise<CompanyFacts | undefined> {
    const [row]: CompanyFacts[] = await this.db.query('SELECT name, timezone, plan FROM companies WHERE id = $1', [companyId]);
    return row;
  }
}

import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { addDays, todayIn } from '../../src/domain/dates';
import { testEnv } from './env';

/**
 * Seeds ledger rows and workflow definitions with SQL, for suites whose branch does not have the ledger or
 * definitions endpoints; everything else goes through the real API.
 */
export class LedgerSeed {
  // A pool, so that suites may seed several rows at once (one client runs one query at a time).
  private pg = new Pool({ connectionString: testEnv().databaseUrl, max: 4 });

  constructor(private readonly companyId: string, private readonly createdBy: string, private readonly timezone = 'America/Toronto') {}

  async connect(): Promise<this> {
    await this.pg.query('SELECT 1'); // fail here, not in the middle of a test, when the database is unreachable
    return this;
  }

  end(): Promise<void> {
    return this.pg.end();
  }

  /** A calendar day relative to today in the company's timezone. */
  day(offset: number): string {
    return addDays(todayIn(this.timezone, new Date()), offset);
  }

  query<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    return this.pg.query(sql, params).then((r) => r.rows as T[]);
  }

  async customer(name: string, email: string | null = `${name.toLowerCase().replace(/\W+/g, '-')}-${randomUUID().slice(0, 8)}@customer.test`) {
    const [row] = await this.query<{ id: string }>(
      'INSERT INTO customers (company_id, name, email) VALUES ($1, $2, $3) RETURNING id', [this.companyId, name, email]);
    return { id: row.id, name, email: email! };
  }

  /** `count` invoices of 100.00 due `dueIn` days from today, each of a customer of its own (named `<prefix> <n>`), in one statement. */
  async invoicesOfOwnCustomers(count: number, prefix: string, dueIn: number): Promise<void> {
    const tag = prefix.toLowerCase().replace(/\W+/g, '-');
    await this.query(
      `WITH c AS (
         INSERT INTO customers (company_id, name, email)
         SELECT $1::uuid, $6 || ' ' || g, $7 || '-' || g || '-' || left($1::uuid::text, 8) || '@customer.test' FROM generate_series(1, $2::int) g RETURNING id)
       INSERT INTO invoices (company_id, number, customer_id, amount, balance, issue_date, due_date, created_by, approval_status)
       SELECT $1::uuid, upper(left($7, 3)) || '-' || left(c.id::text, 8), c.id, 100, 100, $3::date, $4::date, $5, 'not_required' FROM c`,
      [this.companyId, count, this.day(Math.min(dueIn, 0) - 30), this.day(dueIn), this.createdBy, prefix, tag],
    );
  }

  async invoice(customerId: string, o: { amount?: string; balance?: string; dueIn: number; approvalStatus?: string; sent?: boolean; number?: string }) {
    const number = o.number ?? `INV-${randomUUID().slice(0, 8)}`;
    const [row] = await this.query<{ id: string }>(
      `INSERT INTO invoices (company_id, number, customer_id, amount, balance, issue_date, due_date, created_by, approval_status, sent_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
      [this.companyId, number, customerId, o.amount ?? '100.00', o.balance ?? o.amount ?? '100.00', this.day(Math.min(o.dueIn, 0) - 30),
        this.day(o.dueIn), this.createdBy, o.approvalStatus ?? 'not_required', o.sent ? new Date() : null],
    );
    return { id: row.id, number };
  }

  async vendor(name: string) {
    const [row] = await this.query<{ id: string }>('INSERT INTO vendors (company_id, name) VALUES ($1, $2) RETURNING id', [this.companyId, name]);
    return { id: row.id, name };
  }

  async bill(vendorId: string, o: { amount?: string; dueIn: number; paid?: boolean; number?: string }) {
    const [row] = await this.query<{ id: string }>(
      `INSERT INTO bills (company_id, vendor_id, number, amount, balance, due_date, paid_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [this.companyId, vendorId, o.number ?? `B-${randomUUID().slice(0, 6)}`, o.amount ?? '50.00', o.paid ? '0.00' : o.amount ?? '50.00',
        this.day(o.dueIn), o.paid ? new Date() : null],
    );
    return { id: row.id };
  }

  /** A payment as if recorded long ago: its automations count as dispatched, so no worker starts them now. */
  async payment(invoiceId: string, customerId: string, o: { amount?: string; daysAgo: number }) {
    const [row] = await this.query<{ id: string }>(
      `INSERT INTO payments (company_id, invoice_id, customer_id, amount, received_at, events_dispatched_at)
       VALUES ($1, $2, $3, $4, now() - make_interval(days => $5), now())
       RETURNING id`,
      [this.companyId, invoiceId, customerId, o.amount ?? '40.00', o.daysAgo],
    );
    return { id: row.id };
  }

  async definition(templateKey: string, o: { conditions?: unknown[]; actions: unknown[]; status?: string; time?: string; name?: string }) {
    const [row] = await this.query<{ id: string }>(
      `INSERT INTO workflow_definitions (company_id, template_key, name, status, conditions, actions, schedule, locale, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'en-US', $8) RETURNING id`,
      [this.companyId, templateKey, o.name ?? `${templateKey} ${randomUUID().slice(0, 4)}`, o.status ?? 'active', JSON.stringify(o.conditions ?? []),
        JSON.stringify(o.actions), templateKey === 'payment-received' ? null : JSON.stringify({ time: o.time ?? '09:00' }), this.createdBy],
    );
    return row.id;
  }
}

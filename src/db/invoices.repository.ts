import type { DataSource, EntityManager } from 'typeorm';
import { type ApprovalStatus, Invoice, Payment } from './entities';
import { jsonPage, type PageRequest } from './pagination';
import { preparedSql, type Sql } from './sql';
import { SqlFilter } from './sql-filter';

/** An invoice to insert, with the approval fields its requirement gave it. */
export interface NewInvoice {
  companyId: string;
  number: string;
  customerId: string;
  locationId: string | null;
  amount: string;
  issueDate: string;
  dueDate: string;
  memo: string;
  createdBy: string;
  approvalStatus: ApprovalStatus;
  approvalDefinitionId: string | null;
}

/** Which invoices of a company a list shows (each absent filter lets every invoice through). */
export interface InvoiceListFilter {
  approvalStatuses?: string[];
  customerId?: string;
  locationId?: string;
  dueFrom?: string;
  dueTo?: string;
  sent?: boolean;
  paid?: boolean;
}

/**
 * Invoices: their stored view JSON (`view_json`, kept by a trigger) for the hot reads, as prepared statements, and the
 * rows an edit changes. Methods taking `m` run in that transaction's manager.
 */
export class InvoicesRepository {
  private readonly sql: Sql;

  constructor(private readonly dataSource: DataSource) {
    this.sql = preparedSql(dataSource);
  }

  /**
   * One round trip: the insert checks in the same statement that the customer (and location) belong to the company,
   * and returns the stored view JSON; undefined when a party is not the company's. The unique (company_id, number)
   * constraint answers duplicates; the foreign keys keep the checked parties from vanishing meanwhile.
   */
  async insertWithParties(i: NewInvoice): Promise<string | undefined> {
    const rows = await this.sql.query<{ view: string }>(
      `INSERT INTO invoices (company_id, number, customer_id, location_id, amount, balance, issue_date, due_date, memo, created_by,
                             approval_status, approval_definition_id)
       SELECT $1, $2, $3, $4, $5, $5, $6, $7, $8, $9, $10, $11
        WHERE EXISTS (SELECT 1 FROM customers WHERE id = $3 AND company_id = $1)
          AND ($4::uuid IS NULL OR EXISTS (SELECT 1 FROM locations WHERE id = $4 AND company_id = $1))
       RETURNING view_json AS view`,
      [i.companyId, i.number, i.customerId, i.locationId, i.amount, i.issueDate, i.dueDate, i.memo, i.createdBy,
        i.approvalStatus, i.approvalDefinitionId],
    );
    return rows[0]?.view;
  }

  /**
   * The hottest read of the API: a page of the company's invoices in creation order, each its stored view JSON, in one
   * prepared statement straight to the pool. Returns the page as JSON, in UTF-8.
   */
  listViews(companyId: string, filter: InvoiceListFilter, page: PageRequest): Promise<Buffer> {
    const f = new SqlFilter();
    f.and(`i.company_id = ${f.param(companyId, 'uuid')}`);
    if (filter.approvalStatuses) f.and(`i.approval_status = ANY(${f.param([...new Set(filter.approvalStatuses)], 'text[]')})`);
    if (filter.customerId) f.and(`i.customer_id = ${f.param(filter.customerId, 'uuid')}`);
    if (filter.locationId) f.and(`i.location_id = ${f.param(filter.locationId, 'uuid')}`);
    if (filter.dueFrom) f.and(`i.due_date >= ${f.param(filter.dueFrom, 'date')}`);
    if (filter.dueTo) f.and(`i.due_date <= ${f.param(filter.dueTo, 'date')}`);
    if (filter.sent !== undefined) f.and(filter.sent ? 'i.sent_at IS NOT NULL' : 'i.sent_at IS NULL');
    if (filter.paid !== undefined) f.and(filter.paid ? 'i.balance = 0' : 'i.balance > 0');
    // Only the company: the (company_id, created_at, id) index gives the page row for row, so pages are read together.
    const batch = f.size === 1;
    return jsonPage(this.sql, { table: 'invoices', alias: 'i', json: 'i.view_json', filter: f, batch }, page);
  }

  /** The stored view JSON of one invoice of the company. */
  async findView(companyId: string, id: string): Promise<string | undefined> {
    const [row] = await this.sql.query<{ view: string }>('SELECT view_json AS view FROM invoices WHERE id = $1 AND company_id = $2', [id, companyId]);
    return row?.view;
  }

  async find(companyId: string, id: string): Promise<Invoice | null> {
    return this.dataSource.getRepository(Invoice).findOneBy({ id, companyId });
  }

  /** The invoice, its row locked until `m`'s transaction ends. */
  findLocked(m: EntityManager, id: string): Promise<Invoice> {
    return m.getRepository(Invoice).findOneOrFail({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  async setApprovalFields(m: EntityManager, id: string, fields: Pick<Invoice, 'approvalStatus' | 'approvalDefinitionId'>): Promise<void> {
    await m.getRepository(Invoice).update({ id }, fields);
  }

  /** Saves an edited invoice in `m`'s transaction. */
  save(m: EntityManager, invoice: Invoice): Promise<Invoice> {
    return m.getRepository(Invoice).save(invoice, { transaction: false });
  }

  countPayments(m: EntityManager, invoiceId: string): Promise<number> {
    return m.getRepository(Payment).countBy({ invoiceId });
  }

  async delete(m: EntityManager, id: string): Promise<void> {
    await m.getRepository(Invoice).delete({ id });
  }

  /** Pauses the customer reminders of the company's invoice; false when there is no such invoice. */
  async pauseReminders(companyId: string, id: string, until: string | null, reason: string): Promise<Invoice | null> {
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `UPDATE invoices SET reminders_paused_at = now(), reminders_paused_until = $3, reminders_pause_reason = $4, updated_at = now()
        WHERE company_id = $1 AND id = $2 RETURNING id`,
      [companyId, id, until, reason],
    );
    return rows.length ? this.dataSource.manager.findOneBy(Invoice, { id }) : null;
  }

  async resumeReminders(companyId: string, id: string): Promise<Invoice | null> {
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `UPDATE invoices SET reminders_paused_at = NULL, reminders_paused_until = NULL, reminders_pause_reason = NULL, updated_at = now()
        WHERE company_id = $1 AND id = $2 RETURNING id`,
      [companyId, id],
    );
    return rows.length ? this.dataSource.manager.findOneBy(Invoice, { id }) : null;
  }

  findOwnedInvoice(companyId: string, id: string): Promise<Invoice | null> {
    return this.dataSource.manager.findOneBy(Invoice, { companyId, id });
  }

}

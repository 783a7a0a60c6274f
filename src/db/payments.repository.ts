import { Payment } from './entities';
import { findOfCompany, managerOf } from './owned';
import { type Page, type PageRequest, paginate } from './pagination';
import type { Queryable } from './reminder-definitions.repository';

export interface RecordedPayment {
  id: string;
  companyId: string;
}

/** Which payments of a company a list shows (each absent filter lets every payment through). */
export interface PaymentListFilter {
  invoiceId?: string;
  customerId?: string;
  deposited?: boolean;
}

export type NewPayment = Pick<Payment, 'companyId' | 'invoiceId' | 'customerId' | 'amount' | 'receivedAt' | 'depositedAt' | 'depositId' | 'method'>;

/** Payments and the invoice balance they lower; the dispatch of their `payment-received` automations. */
export class PaymentsRepository {
  /** `db` may be a transaction's manager. */
  constructor(private readonly db: Queryable) {}

  private get m() {
    return managerOf(this.db);
  }

  insert(fields: NewPayment): Promise<Payment> {
    const repo = this.m.getRepository(Payment);
    return repo.save(repo.create(fields));
  }

  /** A page of the company's payments in creation order. */
  findPage(companyId: string, filter: PaymentListFilter, page: PageRequest): Promise<Page<Payment>> {
    const qb = this.m.getRepository(Payment).createQueryBuilder('p').where('p.company_id = :companyId', { companyId });
    if (filter.invoiceId) qb.andWhere('p.invoice_id = :invoiceId', { invoiceId: filter.invoiceId });
    if (filter.customerId) qb.andWhere('p.customer_id = :customerId', { customerId: filter.customerId });
    if (filter.deposited !== undefined) qb.andWhere(filter.deposited ? 'p.deposit_id IS NOT NULL' : 'p.deposit_id IS NULL');
    return paginate(qb, page, (p) => p);
  }

  findOwned(companyId: string, id: string): Promise<Payment | null> {
    return findOfCompany(this.m, Payment, companyId, id);
  }

  /**
   * Lowers the invoice's balance by `amount` when the balance covers it, and answers its customer; undefined when the
   * invoice is not the company's or its balance is smaller. The check is in the UPDATE's WHERE clause: concurrent
   * payments queue on the invoice row and each re-checks the balance left by the one before.
   */
  async lowerInvoiceBalance(companyId: string, invoiceId: string, amount: string): Promise<{ customerId: string } | undefined> {
    const [rows] = (await this.db.query(
      `UPDATE invoices SET balance = balance - $3::numeric, updated_at = now()
        WHERE id = $1 AND company_id = $2 AND balance >= $3::numeric
        RETURNING customer_id`,
      [invoiceId, companyId, amount],
    )) as [{ customer_id: string }[], number];
    return rows[0] && { customerId: rows[0].customer_id };
  }

  /** Whether the company has an active `payment-received` definition and is on the advanced plan. */
  async hasPaymentAutomation(companyId: string): Promise<boolean> {
    const [wanted] = await this.db.query(
      `SELECT 1 FROM workflow_definitions d JOIN companies c ON c.id = d.company_id
        WHERE d.company_id = $1 AND d.template_key = 'payment-received' AND d.status = 'active' AND c.plan = 'advanced' LIMIT 1`,
      [companyId],
    );
    return Boolean(wanted);
  }

  async markDispatched(paymentId: string): Promise<void> {
    await this.db.query('UPDATE payments SET events_dispatched_at = now() WHERE id = $1 AND events_dispatched_at IS NULL', [paymentId]);
  }

  /** Payments committed at least `minAgeMs` ago whose automations were never dispatched (oldest first). */
  async findUndispatched(minAgeMs: number, limit: number): Promise<RecordedPayment[]> {
    const rows: { id: string; company_id: string }[] = await this.db.query(
      `SELECT id, company_id FROM payments
        WHERE events_dispatched_at IS NULL AND created_at < now() - make_interval(secs => $1::double precision / 1000)
        ORDER BY created_at LIMIT $2`,
      [minAgeMs, limit],
    );
    return rows.map((r) => ({ id: r.id, companyId: r.company_id }));
  }
}

import { Bill } from './entities';
import { type Db, findOfCompany, managerOf } from './owned';
import { type Page, type PageRequest, paginate } from './pagination';

/** Which bills of a company a list shows (each absent filter lets every bill through). */
export interface BillListFilter {
  vendorId?: string;
  dueFrom?: string;
  dueTo?: string;
  paid?: boolean;
}

export type NewBill = Pick<Bill, 'companyId' | 'vendorId' | 'locationId' | 'number' | 'amount' | 'balance' | 'issueDate' | 'dueDate' | 'paidAt' | 'memo'
  | 'createdBy' | 'approvalStatus' | 'approvalDefinitionId'>;

/** The approval statuses in which a bill may be paid. */
export const PAYABLE_APPROVAL_STATUSES = ['not_required', 'approved'] as const;

/** Bills of a company. `db` may be a transaction's manager. */
export class BillsRepository {
  constructor(private readonly db: Db) {}

  private get m() {
    return managerOf(this.db);
  }

  insert(fields: NewBill): Promise<Bill> {
    const repo = this.m.getRepository(Bill);
    return repo.save(repo.create(fields));
  }

  /** A page of the company's bills in creation order. */
  findPage(companyId: string, filter: BillListFilter, page: PageRequest): Promise<Page<Bill>> {
    const qb = this.m.getRepository(Bill).createQueryBuilder('b').where('b.company_id = :companyId', { companyId });
    if (filter.vendorId) qb.andWhere('b.vendor_id = :vendorId', { vendorId: filter.vendorId });
    if (filter.dueFrom) qb.andWhere('b.due_date >= :dueFrom', { dueFrom: filter.dueFrom });
    if (filter.dueTo) qb.andWhere('b.due_date <= :dueTo', { dueTo: filter.dueTo });
    if (filter.paid !== undefined) qb.andWhere(filter.paid ? 'b.paid_at IS NOT NULL' : 'b.paid_at IS NULL');
    return paginate(qb, page, (b) => b);
  }

  findOwned(companyId: string, id: string, options: { lock?: boolean } = {}): Promise<Bill | null> {
    return findOfCompany(this.m, Bill, companyId, id, options);
  }

  save(bill: Bill): Promise<Bill> {
    return this.m.getRepository(Bill).save(bill);
  }

  async delete(companyId: string, id: string): Promise<void> {
    await this.m.getRepository(Bill).delete({ id, companyId });
  }

  /**
   * Marks the bill paid unless it already is or its approval does not allow it; false then (or when it is not the
   * company's). The checks are in the UPDATE's WHERE clause, so that of two concurrent payments only one succeeds, and
   * an edit that makes the bill need approval again cannot slip between the check and the payment.
   */
  async markPaid(companyId: string, id: string, paidAt: Date): Promise<boolean> {
    const result = await this.m.getRepository(Bill).createQueryBuilder().update()
      .set({ paidAt, balance: '0.00' })
      .where('id = :id AND company_id = :companyId AND paid_at IS NULL AND approval_status IN (:...payable)', { id, companyId, payable: PAYABLE_APPROVAL_STATUSES })
      .execute();
    return Boolean(result.affected);
  }
}

import { In } from 'typeorm';
import { Deposit, Payment } from './entities';
import { type Db, findOfCompany, managerOf } from './owned';
import { type Page, type PageRequest, paginate } from './pagination';

export type NewDeposit = Pick<Deposit, 'companyId' | 'amount' | 'depositedAt' | 'memo'>;

/** Deposits and the payments they group. `db` may be a transaction's manager. */
export class DepositsRepository {
  constructor(private readonly db: Db) {}

  private get m() {
    return managerOf(this.db);
  }

  /** The company's payments among `ids`, locked in id order so that overlapping deposits queue instead of deadlocking. */
  lockPayments(companyId: string, ids: string[]): Promise<Payment[]> {
    return this.m.getRepository(Payment).find({
      where: { id: In(ids), companyId }, order: { id: 'ASC' }, lock: { mode: 'pessimistic_write' },
    });
  }

  insert(fields: NewDeposit): Promise<Deposit> {
    const repo = this.m.getRepository(Deposit);
    return repo.save(repo.create(fields));
  }

  async assignPayments(companyId: string, paymentIds: string[], depositId: string, depositedAt: Date): Promise<void> {
    await this.m.getRepository(Payment).update({ id: In(paymentIds), companyId }, { depositId, depositedAt });
  }

  /** A page of the company's deposits in creation order. */
  findPage(companyId: string, page: PageRequest): Promise<Page<Deposit>> {
    const qb = this.m.getRepository(Deposit).createQueryBuilder('d').where('d.company_id = :companyId', { companyId });
    return paginate(qb, page, (d) => d);
  }

  findOwned(companyId: string, id: string): Promise<Deposit | null> {
    return findOfCompany(this.m, Deposit, companyId, id);
  }

  /** The ids of each deposit's payments, in id order. */
  async paymentIdsOf(depositIds: string[]): Promise<Map<string, string[]>> {
    const map = new Map<string, string[]>();
    if (depositIds.length === 0) return map;
    const rows = await this.m.getRepository(Payment).find({
      select: { id: true, depositId: true }, where: { depositId: In(depositIds) }, order: { id: 'ASC' },
    });
    for (const row of rows) map.set(row.depositId!, [...(map.get(row.depositId!) ?? []), row.id]);
    return map;
  }
}

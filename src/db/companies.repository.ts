import { Company, Invoice } from './entities';
import { type Db, managerOf } from './owned';

export type NewCompany = Pick<Company, 'name' | 'locale' | 'timezone' | 'currency' | 'plan' | 'webhookUrl'>;

/** Companies (tenants). `db` may be a transaction's manager. */
export class CompaniesRepository {
  constructor(private readonly db: Db) {}

  private get m() {
    return managerOf(this.db);
  }

  insert(fields: NewCompany): Promise<Company> {
    return this.m.save(this.m.create(Company, fields));
  }

  find(id: string): Promise<Company | null> {
    return this.m.getRepository(Company).findOneBy({ id });
  }

  /** The company, its row locked until the transaction ends. */
  lockForUpdate(id: string): Promise<Company | null> {
    return this.m.getRepository(Company).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  countPendingApprovals(companyId: string): Promise<number> {
    return this.m.getRepository(Invoice).countBy({ companyId, approvalStatus: 'pending_approval' });
  }

  save(company: Company): Promise<Company> {
    return this.m.save(company);
  }
}

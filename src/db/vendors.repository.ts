import { Bill, Vendor } from './entities';
import { type Db, findOfCompany, managerOf } from './owned';
import { type Page, type PageRequest, paginate } from './pagination';

/** Vendors of a company. `db` may be a transaction's manager. */
export class VendorsRepository {
  constructor(private readonly db: Db) {}

  private get m() {
    return managerOf(this.db);
  }

  insert(fields: Pick<Vendor, 'companyId' | 'name' | 'email'>): Promise<Vendor> {
    const repo = this.m.getRepository(Vendor);
    return repo.save(repo.create(fields));
  }

  /** A page of the company's vendors in creation order. */
  findPage(companyId: string, page: PageRequest): Promise<Page<Vendor>> {
    const qb = this.m.getRepository(Vendor).createQueryBuilder('v').where('v.company_id = :companyId', { companyId });
    return paginate(qb, page, (v) => v);
  }

  findOwned(companyId: string, id: string, options: { lock?: boolean } = {}): Promise<Vendor | null> {
    return findOfCompany(this.m, Vendor, companyId, id, options);
  }

  save(vendor: Vendor): Promise<Vendor> {
    return this.m.getRepository(Vendor).save(vendor);
  }

  /** The vendor's bills (which keep it from being deleted). */
  countBillsOf(vendorId: string): Promise<number> {
    return this.m.getRepository(Bill).countBy({ vendorId });
  }

  async delete(id: string): Promise<void> {
    await this.m.getRepository(Vendor).delete({ id });
  }
}

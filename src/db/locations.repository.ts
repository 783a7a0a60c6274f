import { Bill, Invoice, Location } from './entities';
import { type Db, findOfCompany, managerOf } from './owned';
import { type Page, type PageRequest, paginate } from './pagination';

/** Locations of a company. `db` may be a transaction's manager. */
export class LocationsRepository {
  constructor(private readonly db: Db) {}

  private get m() {
    return managerOf(this.db);
  }

  insert(fields: Pick<Location, 'companyId' | 'name'>): Promise<Location> {
    const repo = this.m.getRepository(Location);
    return repo.save(repo.create(fields));
  }

  /** A page of the company's locations in creation order. */
  findPage(companyId: string, page: PageRequest): Promise<Page<Location>> {
    const qb = this.m.getRepository(Location).createQueryBuilder('l').where('l.company_id = :companyId', { companyId });
    return paginate(qb, page, (l) => l);
  }

  findOwned(companyId: string, id: string, options: { lock?: boolean } = {}): Promise<Location | null> {
    return findOfCompany(this.m, Location, companyId, id, options);
  }

  save(location: Location): Promise<Location> {
    return this.m.getRepository(Location).save(location);
  }

  /** What still uses the location (and keeps it from being deleted). */
  async countRecordsAt(locationId: string): Promise<{ invoices: number; bills: number }> {
    const invoices = await this.m.getRepository(Invoice).countBy({ locationId });
    const bills = await this.m.getRepository(Bill).countBy({ locationId });
    return { invoices, bills };
  }

  async delete(id: string): Promise<void> {
    await this.m.getRepository(Location).delete({ id });
  }
}

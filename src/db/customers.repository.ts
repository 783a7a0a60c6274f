import { Customer, Invoice, Payment } from './entities';
import { type Db, findOfCompany, managerOf } from './owned';
import { type Page, type PageRequest, paginate } from './pagination';

/** Which customers of a company a list shows (each absent filter lets every customer through). */
export interface CustomerListFilter {
  group?: string;
  email?: string;
}

/** Customers of a company. `db` may be a transaction's manager. */
export class CustomersRepository {
  constructor(private readonly db: Db) {}

  private get m() {
    return managerOf(this.db);
  }

  insert(fields: Pick<Customer, 'companyId' | 'name' | 'email' | 'group'> & Partial<Pick<Customer, 'remindersEnabled' | 'timezone' | 'locale' | 'emailStatus'>>): Promise<Customer> {
    const repo = this.m.getRepository(Customer);
    return repo.save(repo.create(fields));
  }

  /** A page of the company's customers in creation order. */
  findPage(companyId: string, filter: CustomerListFilter, page: PageRequest): Promise<Page<Customer>> {
    const qb = this.m.getRepository(Customer).createQueryBuilder('c').where('c.company_id = :companyId', { companyId });
    if (filter.group !== undefined) qb.andWhere('c.customer_group = :group', { group: filter.group });
    if (filter.email !== undefined) qb.andWhere('c.email = :email', { email: filter.email });
    return paginate(qb, page, (c) => c);
  }

  findOwned(companyId: string, id: string, options: { lock?: boolean } = {}): Promise<Customer | null> {
    return findOfCompany(this.m, Customer, companyId, id, options);
  }

  /** The customer's group (any company's: the caller already holds a record that names the customer). */
  async findGroup(id: string): Promise<string | null> {
    return (await this.m.findOneBy(Customer, { id }))?.group ?? null;
  }

  save(customer: Customer): Promise<Customer> {
    return this.m.getRepository(Customer).save(customer);
  }

  /** What still refers to the customer (and keeps it from being deleted). */
  async countRecordsOf(customerId: string): Promise<{ invoices: number; payments: number }> {
    const invoices = await this.m.getRepository(Invoice).countBy({ customerId });
    const payments = await this.m.getRepository(Payment).countBy({ customerId });
    return { invoices, payments };
  }

  /** The customers of the company at the address may be mailed again (its suppression was deleted). */
  async resetEmailStatus(companyId: string, address: string): Promise<void> {
    await this.m.query(
      `UPDATE customers SET email_status = 'ok', updated_at = now() WHERE company_id = $1 AND email = lower($2) AND email_status <> 'ok'`,
      [companyId, address]);
  }

  async delete(id: string): Promise<void> {
    await this.m.getRepository(Customer).delete({ id });
  }
}

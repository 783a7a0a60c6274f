import { In } from 'typeorm';
import { User } from './entities';
import { type Db, findOfCompany, managerOf } from './owned';
import { type Page, type PageRequest, paginate } from './pagination';

/** Users of a company. `db` may be a transaction's manager. */
export class UsersRepository {
  constructor(private readonly db: Db) {}

  private get m() {
    return managerOf(this.db);
  }

  insert(fields: Pick<User, 'companyId' | 'name' | 'email' | 'role'>): Promise<User> {
    return this.m.save(this.m.create(User, fields));
  }

  existsWithEmail(companyId: string, email: string): Promise<boolean> {
    return this.m.getRepository(User).existsBy({ companyId, email });
  }

  /** A page of the company's users in creation order. */
  findPage(companyId: string, page: PageRequest): Promise<Page<User>> {
    const qb = this.m.getRepository(User).createQueryBuilder('u').where('u.company_id = :c', { c: companyId });
    return paginate(qb, page, (u) => u);
  }

  findOwned(companyId: string, id: string): Promise<User | null> {
    return findOfCompany(this.m, User, companyId, id);
  }

  /** The company's admins, first created first. */
  findAdmins(companyId: string): Promise<User[]> {
    return this.m.find(User, { where: { companyId, role: 'admin' }, order: { createdAt: 'ASC' } });
  }

  /** Which of `ids` are users of the company. */
  async findIdsAmong(companyId: string, ids: string[]): Promise<Set<string>> {
    const found = await this.m.find(User, { select: { id: true }, where: { id: In(ids), companyId } });
    return new Set(found.map((u) => u.id));
  }
}

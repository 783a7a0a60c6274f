import { In } from 'typeorm';
import { User, type UserStatus } from './entities';
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

  /**
   * Holds the company's user changes (deactivation, reactivation, role changes) until the transaction ends, so that two
   * admins deactivating or demoting each other at once cannot both pass the last-active-admin check.
   */
  async lockCompanyUsers(companyId: string): Promise<void> {
    await this.m.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`users:${companyId}`]);
  }

  /** How many active admins the company has besides `exceptId`. */
  async countOtherActiveAdmins(companyId: string, exceptId: string): Promise<number> {
    const [{ n }] = await this.m.query(
      `SELECT count(*)::int AS n FROM users WHERE company_id = $1 AND role = 'admin' AND status = 'active' AND id <> $2`, [companyId, exceptId]) as { n: number }[];
    return n;
  }

  /** Sets the given fields of the user (the caller checked who may have which role). */
  async updateProfile(companyId: string, id: string, fields: Partial<Pick<User, 'name' | 'role' | 'approvalLimit'>>): Promise<void> {
    if (Object.keys(fields).length === 0) return;
    await this.m.update(User, { companyId, id }, fields);
  }

  /** Moves the user to `to` from the other status; false when it already had it. */
  async setStatus(companyId: string, id: string, to: UserStatus): Promise<boolean> {
    // TypeORM answers an UPDATE as [rows, count].
    const [rows] = await this.m.query(
      'UPDATE users SET status = $3 WHERE company_id = $1 AND id = $2 AND status <> $3 RETURNING id', [companyId, id, to]) as [unknown[], number];
    return rows.length > 0;
  }

  /** The company's workflow definitions that name the user anywhere in their actions (approver, escalation, recipient, assignee). */
  async findDefinitionsNaming(companyId: string, userId: string): Promise<{ id: string; name: string; templateKey: string; status: string }[]> {
    return this.m.query(
      `SELECT id, name, template_key AS "templateKey", status FROM workflow_definitions
        WHERE company_id = $1 AND jsonb_path_exists(actions, '$.** ? (@ == $id)', jsonb_build_object('id', $2::text))
        ORDER BY created_at, id`, [companyId, userId]);
  }

  /** Revokes every live API key of the user; the keys revoked. */
  async revokeKeysOf(userId: string, at: Date): Promise<string[]> {
    const [rows] = await this.m.query(
      'UPDATE api_keys SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL RETURNING id', [userId, at]) as [{ id: string }[], number];
    return rows.map((r) => r.id);
  }
}

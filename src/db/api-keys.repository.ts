import { IsNull } from 'typeorm';
import { ApiKey } from './entities';
import { type Db, findOfCompany, managerOf } from './owned';

export interface AuthRow {
  key_id: string;
  user_id: string;
  user_name: string;
  email: string;
  role: 'admin' | 'standard';
  company_id: string;
  company_name: string;
  locale: string;
  timezone: string;
  currency: string;
  plan: 'advanced' | 'essentials';
}

/** API keys (stored as hashes) and whom they authenticate. */
export class ApiKeysRepository {
  /** `db` may be a transaction's manager. */
  constructor(private readonly db: Db) {}

  private get m() {
    return managerOf(this.db);
  }

  insert(fields: Pick<ApiKey, 'companyId' | 'userId' | 'prefix' | 'keyHash' | 'revokedAt'>): Promise<ApiKey> {
    return this.m.save(this.m.create(ApiKey, fields));
  }

  /** The user's keys, revoked ones included, oldest first. */
  findOfUser(userId: string): Promise<ApiKey[]> {
    return this.m.getRepository(ApiKey).find({ where: { userId }, order: { createdAt: 'ASC' } });
  }

  findOwned(companyId: string, id: string): Promise<ApiKey | null> {
    return findOfCompany(this.m, ApiKey, companyId, id);
  }

  /** Whether this call revoked the key: revoking twice keeps the first revocation time. */
  async revoke(id: string, at: Date): Promise<boolean> {
    return ((await this.m.getRepository(ApiKey).update({ id, revokedAt: IsNull() }, { revokedAt: at })).affected ?? 0) > 0;
  }

  /** The live key with this hash, of an active user, its user and company, in one indexed statement. */
  async findOwner(keyHash: string): Promise<AuthRow | undefined> {
    const [row]: AuthRow[] = await this.db.query(
      `SELECT k.id AS key_id, u.id AS user_id, u.name AS user_name, u.email, u.role,
              c.id AS company_id, c.name AS company_name, c.locale, c.timezone, c.currency, c.plan
         FROM api_keys k JOIN users u ON u.id = k.user_id JOIN companies c ON c.id = k.company_id
        WHERE k.key_hash = $1 AND k.revoked_at IS NULL AND u.status = 'active'`,
      [keyHash],
    );
    return row;
  }
}

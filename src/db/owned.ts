import { DataSource, EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';

/** A DataSource, or the EntityManager of the caller's transaction (transactions are the caller's decision). */
export type Db = DataSource | EntityManager;

export function managerOf(db: Db | Pick<DataSource, 'query'>): EntityManager {
  if (db instanceof DataSource) return db.manager;
  if (db instanceof EntityManager) return db;
  throw new Error('this repository method needs a DataSource or an EntityManager, not a bare query function');
}

/** A record of the company, or null (another company's id answers like an unknown one); `lock` holds its row until the transaction ends. */
export function findOfCompany<E extends ObjectLiteral>(
  m: EntityManager, entity: EntityTarget<E>, companyId: string, id: string, options: { lock?: boolean } = {},
): Promise<E | null> {
  return m.getRepository(entity).findOne({
    where: { id, companyId } as never,
    ...(options.lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
  });
}

import type { DataSource } from 'typeorm';
import { Notification } from './entities';
import { type Page, type PageRequest, paginate } from './pagination';

/** The in-app notification inbox. */
export class NotificationsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** A page of the user's own inbox, newest first; `unread` keeps only the unread (true) or the read (false). */
  findPage(companyId: string, userId: string, filter: { unread?: boolean }, page: PageRequest): Promise<Page<Notification>> {
    const qb = this.dataSource.getRepository(Notification).createQueryBuilder('n')
      .where('n.user_id = :userId AND n.company_id = :companyId', { userId, companyId });
    if (filter.unread !== undefined) qb.andWhere(filter.unread ? 'n.read_at IS NULL' : 'n.read_at IS NOT NULL');
    return paginate(qb, page, (n) => n, { newestFirst: true });
  }

  /** The user's own notification: another user's is not found, even within the company. */
  findOwn(companyId: string, userId: string, id: string): Promise<Notification | null> {
    return this.dataSource.getRepository(Notification).findOneBy({ id, userId, companyId });
  }

  /** Marking twice keeps the first reading time. */
  async markRead(companyId: string, userId: string, id: string): Promise<void> {
    await this.dataSource.query(
      'UPDATE notifications SET read_at = now() WHERE id = $1 AND user_id = $2 AND company_id = $3 AND read_at IS NULL',
      [id, userId, companyId],
    );
  }
}

import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Notification } from '../../db/entities';
import { NotificationsRepository } from '../../db/notifications.repository';
import { AuthUser } from '../auth/current-user.decorator';
import { paginate } from '../../db/pagination';
import { flag } from '../common/query-filters';
import { ListNotificationsQueryDto } from './dto/notification.dto';
import { toNotificationView } from './notification.mapper';

/** The caller's own inbox: another user's notification is not found, even within the company. */
@Injectable()
export class NotificationsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  list(user: AuthUser, query: ListNotificationsQueryDto) {
    const qb = this.dataSource.getRepository(Notification).createQueryBuilder('n')
      .where('n.user_id = :userId AND n.company_id = :companyId', { userId: user.id, companyId: user.companyId });
    const unread = flag(query.unread);
    if (unread !== undefined) qb.andWhere(unread ? 'n.read_at IS NULL' : 'n.read_at IS NOT NULL');
    return paginate(qb, query, toNotificationView, { newestFirst: true });
  }

  /** Marking twice keeps the first reading time. */
  async markRead(user: AuthUser, id: string) {
    await new NotificationsRepository(this.dataSource).markRead(user.companyId, user.id, id);
    const notification = await this.dataSource.getRepository(Notification).findOneBy({ id, userId: user.id, companyId: user.companyId });
    if (!notification) throw new NotFoundException(`notification ${id} not found`);
    return toNotificationView(notification);
  }
}

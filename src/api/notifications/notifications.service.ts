import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { NotificationsRepository } from '../../db/notifications.repository';
import { mapPage } from '../../db/pagination';
import { AuthUser } from '../auth/current-user.decorator';
import { flag } from '../common/query-filters';
import { ListNotificationsQueryDto } from './dto/notification.dto';
import { toNotificationView } from './notification.mapper';

/** The caller's own inbox: another user's notification is not found, even within the company. */
@Injectable()
export class NotificationsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async list(user: AuthUser, query: ListNotificationsQueryDto) {
    const page = await new NotificationsRepository(this.dataSource).findPage(user.companyId, user.id, { unread: flag(query.unread) }, query);
    return mapPage(page, toNotificationView);
  }

  /** Marking twice keeps the first reading time. */
  async markRead(user: AuthUser, id: string) {
    const notifications = new NotificationsRepository(this.dataSource);
    await notifications.markRead(user.companyId, user.id, id);
    const notification = await notifications.findOwn(user.companyId, user.id, id);
    if (!notification) throw new NotFoundException(`notification ${id} not found`);
    return toNotificationView(notification);
  }
}

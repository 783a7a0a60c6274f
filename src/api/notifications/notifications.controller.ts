import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '../auth/current-user.decorator';
import { ApiAuthenticated, ApiErrors, PageOf } from '../common/api-docs';
import { IdPipe } from '../common/id-param.pipe';
import { ListNotificationsQueryDto } from './dto/notification.dto';
import { notificationExample, NotificationView } from './notification.mapper';
import { NotificationsService } from './notifications.service';
import { Idempotent } from '../common/idempotency.interceptor';

@ApiTags('notifications')
@ApiAuthenticated()
@Controller('v1/notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  @ApiOperation({ summary: 'The caller\'s in-app inbox (push notifications of workflows), newest first' })
  @ApiOkResponse({ type: PageOf(NotificationView), example: { data: [notificationExample], nextCursor: null } })
  @ApiErrors({ 400: 'unread must be "true" or "false"' })
  list(@CurrentUser() user: AuthUser, @Query() query: ListNotificationsQueryDto) {
    return this.notifications.list(user, query);
  }

  @Post(':id/read')
  @Idempotent()
  @HttpCode(200)
  @ApiOperation({ summary: 'Marks one of the caller\'s notifications read' })
  @ApiOkResponse({ type: NotificationView, example: { ...notificationExample, readAt: '2026-12-02T14:05:00.000Z' } })
  @ApiErrors({ 400: '"abc" is not a valid id (ids are UUIDs)', 404: 'notification 4e5f6a7b-8c9d-4e0f-a1b2-c3d4e5f6a7b8 not found' })
  markRead(@CurrentUser() user: AuthUser, @Param('id', IdPipe) id: string) {
    return this.notifications.markRead(user, id);
  }
}

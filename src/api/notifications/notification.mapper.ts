import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { Notification } from '../../db/entities';
import { dateTime, nullable, text, uuid } from '../common/api-docs';

@ApiSchema({ name: 'Notification' })
export class NotificationView {
  @ApiProperty(uuid) id!: string;
  @ApiProperty(text) title!: string;
  @ApiProperty(text) body!: string;
  @ApiProperty({ ...nullable(text), example: 'invoice' }) recordType!: string | null;
  @ApiProperty(nullable(uuid)) recordId!: string | null;
  @ApiProperty(nullable(dateTime)) readAt!: string | null;
  @ApiProperty(dateTime) createdAt!: string;
}

export function toNotificationView(n: Notification): NotificationView {
  return {
    id: n.id, title: n.title, body: n.body, recordType: n.recordType, recordId: n.recordId,
    readAt: n.readAt ? n.readAt.toISOString() : null, createdAt: n.createdAt.toISOString(),
  };
}

export const notificationExample: NotificationView = {
  id: '4e5f6a7b-8c9d-4e0f-a1b2-c3d4e5f6a7b8', title: 'Invoice INV-1042 needs your approval',
  body: 'Sam Standard submitted INV-1042 (Globex, 1,250.00).', recordType: 'invoice',
  recordId: '5c9d2e7f-1a3b-4c8d-9e0f-6a7b8c9d0e12', readAt: null, createdAt: '2026-12-02T14:00:00.000Z',
};

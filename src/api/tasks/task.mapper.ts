import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { Task } from '../../db/entities';
import { dateTime, nullable, text, uuid } from '../common/api-docs';

@ApiSchema({ name: 'Task' })
export class TaskView {
  @ApiProperty(uuid) id!: string;
  @ApiProperty(uuid) assigneeId!: string;
  @ApiProperty({ enum: ['approval', 'reminder', 'manual'] }) kind!: Task['kind'];
  @ApiProperty(text) title!: string;
  @ApiProperty(text) description!: string;
  @ApiProperty({ enum: ['open', 'completed', 'cancelled'] }) status!: Task['status'];
  @ApiProperty({ ...nullable(text), example: 'invoice' }) recordType!: string | null;
  @ApiProperty(nullable(uuid)) recordId!: string | null;
  @ApiProperty(nullable(uuid)) approvalId!: string | null;
  @ApiProperty(nullable(uuid)) definitionId!: string | null;
  @ApiProperty(nullable(dateTime)) dueAt!: string | null;
  @ApiProperty(dateTime) createdAt!: string;
  @ApiProperty(nullable(dateTime)) completedAt!: string | null;
  @ApiProperty(nullable(uuid)) completedBy!: string | null;
}

export function toTaskView(t: Task): TaskView {
  return {
    id: t.id, assigneeId: t.assigneeId, kind: t.kind, title: t.title, description: t.description, status: t.status,
    recordType: t.recordType, recordId: t.recordId, approvalId: t.approvalId, definitionId: t.definitionId,
    dueAt: t.dueAt ? t.dueAt.toISOString() : null, createdAt: t.createdAt.toISOString(),
    completedAt: t.completedAt ? t.completedAt.toISOString() : null, completedBy: t.completedBy,
  };
}

export const taskExample: TaskView = {
  id: '7d6c5b4a-3f2e-4d1c-8b0a-9f8e7d6c5b4a', assigneeId: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', kind: 'reminder',
  title: 'Send invoice INV-1042', description: 'INV-1042 (Globex, 1,250.00) has not been sent yet.', status: 'open',
  recordType: 'invoice', recordId: '5c9d2e7f-1a3b-4c8d-9e0f-6a7b8c9d0e12', approvalId: null,
  definitionId: 'c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f', dueAt: null, createdAt: '2026-12-02T14:00:00.000Z',
  completedAt: null, completedBy: null,
};

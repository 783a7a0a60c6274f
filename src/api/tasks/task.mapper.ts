import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { Task, TaskComment } from '../../db/entities';
import { taskDueDate } from '../../domain/task-inbox';
import { date, dateTime, nullable, text, uuid } from '../common/api-docs';

@ApiSchema({ name: 'Task' })
export class TaskView {
  @ApiProperty(uuid) id!: string;
  @ApiProperty({ ...nullable(uuid), description: 'null: the task waits in its candidate group until a member claims it' })
  assigneeId!: string | null;
  @ApiProperty({ enum: ['approval', 'reminder', 'manual'] }) kind!: Task['kind'];
  @ApiProperty(text) title!: string;
  @ApiProperty(text) description!: string;
  @ApiProperty({ enum: ['open', 'completed', 'cancelled'] }) status!: Task['status'];
  @ApiProperty({ ...nullable(text), example: 'invoice' }) recordType!: string | null;
  @ApiProperty(nullable(uuid)) recordId!: string | null;
  @ApiProperty(nullable(uuid)) approvalId!: string | null;
  @ApiProperty(nullable(uuid)) definitionId!: string | null;
  @ApiProperty(nullable(dateTime)) dueAt!: string | null;
  @ApiProperty({ ...nullable(date), description: "The day it is due in the company's time zone: the one given, else the day dueAt falls on" })
  dueDate!: string | null;
  @ApiProperty(nullable(date)) followUpDate!: string | null;
  @ApiProperty({ ...nullable(uuid), description: 'The approver group whose members may claim the task' })
  candidateGroupId!: string | null;
  @ApiProperty(nullable(uuid)) claimedBy!: string | null;
  @ApiProperty(nullable(dateTime)) claimedAt!: string | null;
  @ApiProperty(dateTime) createdAt!: string;
  @ApiProperty(nullable(dateTime)) completedAt!: string | null;
  @ApiProperty(nullable(uuid)) completedBy!: string | null;
}

/** A task as the API shows it; `timezone` is the company's, the calendar of its due day. */
export function toTaskView(t: Task, timezone: string): TaskView {
  return {
    id: t.id, assigneeId: t.assigneeId, kind: t.kind, title: t.title, description: t.description, status: t.status,
    recordType: t.recordType, recordId: t.recordId, approvalId: t.approvalId, definitionId: t.definitionId,
    dueAt: t.dueAt ? t.dueAt.toISOString() : null, dueDate: taskDueDate(t, timezone), followUpDate: t.followUpDate,
    candidateGroupId: t.candidateGroupId, claimedBy: t.claimedBy, claimedAt: t.claimedAt ? t.claimedAt.toISOString() : null,
    createdAt: t.createdAt.toISOString(), completedAt: t.completedAt ? t.completedAt.toISOString() : null, completedBy: t.completedBy,
  };
}

export const taskExample: TaskView = {
  id: '7d6c5b4a-3f2e-4d1c-8b0a-9f8e7d6c5b4a', assigneeId: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', kind: 'reminder',
  title: 'Send invoice INV-1042', description: 'INV-1042 (Globex, 1,250.00) has not been sent yet.', status: 'open',
  recordType: 'invoice', recordId: '5c9d2e7f-1a3b-4c8d-9e0f-6a7b8c9d0e12', approvalId: null,
  definitionId: 'c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f', dueAt: null, dueDate: '2026-12-20', followUpDate: null,
  candidateGroupId: null, claimedBy: null, claimedAt: null, createdAt: '2026-12-02T14:00:00.000Z',
  completedAt: null, completedBy: null,
};

@ApiSchema({ name: 'TaskComment' })
export class TaskCommentView {
  @ApiProperty(uuid) id!: string;
  @ApiProperty(uuid) taskId!: string;
  @ApiProperty(uuid) authorId!: string;
  @ApiProperty({ ...text, maxLength: 4000 }) body!: string;
  @ApiProperty(dateTime) createdAt!: string;
}

export function toTaskCommentView(c: TaskComment): TaskCommentView {
  return { id: c.id, taskId: c.taskId, authorId: c.authorId, body: c.body, createdAt: c.createdAt.toISOString() };
}

export const taskCommentExample: TaskCommentView = {
  id: '2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e', taskId: taskExample.id, authorId: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
  body: 'Globex sent the remittance; matching it now.', createdAt: '2026-12-02T15:00:00.000Z',
};

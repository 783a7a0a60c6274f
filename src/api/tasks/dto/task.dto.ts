import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, MaxLength, ValidateIf } from 'class-validator';
import { TASK_DUE_FILTERS, TASK_SORTS, type TaskDueFilter, type TaskSort } from '../../../domain/task-inbox';
import { IsOmittable } from '../../common/optional';
import { ListQueryDto } from '../../common/pagination';
import { IsDateOnly } from '../../common/validators';
import { date, dateTime, text, uuid as uuidSchema } from '../../common/api-docs';

export const TASK_RECORD_TYPES = ['invoice', 'bill', 'payment', 'customer', 'vendor'] as const;
export type TaskRecordType = (typeof TASK_RECORD_TYPES)[number];

const UUID_PATTERN = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';

export class CreateTaskDto {
  @ApiPropertyOptional({
    ...uuidSchema, example: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
    description: 'A user of the company; may be left out when candidateGroupId is given (a member claims the task)',
  })
  @IsOmittable() @IsUUID('all', { message: 'assigneeId must be an id (a UUID)' })
  assigneeId?: string;

  @ApiPropertyOptional({ ...uuidSchema, description: 'An approver group of the company whose members may claim the task' })
  @IsOmittable() @IsUUID('all', { message: 'candidateGroupId must be an id (a UUID)' })
  candidateGroupId?: string;

  @ApiProperty({ ...text, maxLength: 300, minLength: 1, example: 'Call Globex about INV-1042' })
  @IsString({ message: 'title must be a string' }) @IsNotEmpty({ message: 'title must not be empty' }) @MaxLength(300)
  title!: string;

  @ApiPropertyOptional({ ...text, maxLength: 4000, example: 'They asked for a copy with the PO number.', default: '' })
  @IsOmittable() @IsString({ message: 'description must be a string' }) @MaxLength(4000)
  description?: string;

  @ApiPropertyOptional({ enum: TASK_RECORD_TYPES, description: 'The kind of record the task is about; needs recordId' })
  @ValidateIf((o: CreateTaskDto) => o.recordType !== undefined || o.recordId !== undefined)
  @IsIn(TASK_RECORD_TYPES, { message: `recordType must be one of ${TASK_RECORD_TYPES.join(', ')} when recordId is given` })
  recordType?: TaskRecordType;

  @ApiPropertyOptional({ ...uuidSchema, description: 'The record the task is about (of the company); needs recordType' })
  @ValidateIf((o: CreateTaskDto) => o.recordType !== undefined || o.recordId !== undefined)
  @IsUUID('all', { message: 'recordId must be an id (a UUID) when recordType is given' })
  recordId?: string;

  @ApiPropertyOptional({ ...dateTime, example: '2026-12-20T17:00:00.000Z' })
  @IsOmittable() @IsISO8601({ strict: true }, { message: 'dueAt must be an ISO 8601 date-time such as "2026-12-20T17:00:00Z"' })
  dueAt?: string;

  @ApiPropertyOptional({ ...date, example: '2026-12-20', description: "YYYY-MM-DD in the company's time zone; left out: the day dueAt falls on" })
  @IsOmittable() @IsDateOnly()
  dueDate?: string;

  @ApiPropertyOptional({ ...date, example: '2026-12-15', description: 'YYYY-MM-DD: when to look at the task again' })
  @IsOmittable() @IsDateOnly()
  followUpDate?: string;
}

export class ReassignTaskDto {
  @ApiProperty({ ...uuidSchema, description: 'An active user of the company' })
  @IsUUID('all', { message: 'assigneeId must be an id (a UUID)' })
  assigneeId!: string;
}

export class CreateTaskCommentDto {
  @ApiProperty({ ...text, minLength: 1, maxLength: 4000, example: 'Globex sent the remittance; matching it now.' })
  @IsString({ message: 'body must be a string' })
  @Matches(/\S/, { message: 'body must not be empty' })
  @MaxLength(4000, { message: 'body must be at most 4000 characters' })
  body!: string;
}

export class ListTasksQueryDto extends ListQueryDto {
  @ApiPropertyOptional({
    type: String, pattern: `^(me|unassigned|${UUID_PATTERN})$`, example: 'me',
    description: '`me` or a user id: the tasks assigned to or claimed by that user; `unassigned`: no assignee and unclaimed; omitted: every task of the company',
  })
  @IsOptional()
  @ValidateIf((o: ListTasksQueryDto) => o.assignee !== 'me' && o.assignee !== 'unassigned')
  @IsUUID('all', { message: 'assignee must be "me" or a user id (a UUID), or "unassigned"' })
  assignee?: string;

  @ApiPropertyOptional({ ...uuidSchema, description: 'Only tasks offered to this approver group' })
  @IsOptional() @IsUUID('all', { message: 'candidateGroup must be an id (a UUID)' })
  candidateGroup?: string;

  @ApiPropertyOptional({
    enum: TASK_DUE_FILTERS,
    description: "By due day in the company's time zone: `overdue` (open, due before today), `today`, `week` (today and the six days after)",
  })
  @IsOptional() @IsIn(TASK_DUE_FILTERS, { message: `due must be one of ${TASK_DUE_FILTERS.join(', ')}` })
  due?: TaskDueFilter;

  @ApiPropertyOptional({
    enum: TASK_SORTS, default: 'createdAt',
    description: 'Order of the list (`-`: descending); tasks without a due day come last. A cursor is only good for the sort it came with',
  })
  @IsOptional() @IsIn(TASK_SORTS, { message: `sort must be one of ${TASK_SORTS.join(', ')}` })
  sort?: TaskSort;

  @ApiPropertyOptional({ enum: ['open', 'completed', 'cancelled'] })
  @IsOptional() @IsIn(['open', 'completed', 'cancelled'], { message: 'status must be one of open, completed, cancelled' })
  status?: 'open' | 'completed' | 'cancelled';

  @ApiPropertyOptional({ enum: ['approval', 'reminder', 'manual'] })
  @IsOptional() @IsIn(['approval', 'reminder', 'manual'], { message: 'kind must be one of approval, reminder, manual' })
  kind?: 'approval' | 'reminder' | 'manual';

  @ApiPropertyOptional({ ...uuidSchema, description: 'Only tasks about this record (e.g. an invoice id)' })
  @IsOptional() @IsUUID('all', { message: 'recordId must be an id (a UUID)' })
  recordId?: string;
}

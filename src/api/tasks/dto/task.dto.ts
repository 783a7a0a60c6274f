import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength, ValidateIf } from 'class-validator';
import { IsOmittable } from '../../common/optional';
import { ListQueryDto } from '../../common/pagination';
import { dateTime, text, uuid as uuidSchema } from '../../common/api-docs';

export const TASK_RECORD_TYPES = ['invoice', 'bill', 'payment', 'customer', 'vendor'] as const;
export type TaskRecordType = (typeof TASK_RECORD_TYPES)[number];

export class CreateTaskDto {
  @ApiProperty({ ...uuidSchema, example: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', description: 'A user of the company' })
  @IsUUID('all', { message: 'assigneeId must be an id (a UUID)' })
  assigneeId!: string;

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
}

export class ListTasksQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ type: String, pattern: '^(me|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$', description: '`me` or a user id; omitted: every user of the company', example: 'me' })
  @IsOptional()
  @ValidateIf((o: ListTasksQueryDto) => o.assignee !== 'me')
  @IsUUID('all', { message: 'assignee must be "me" or a user id (a UUID)' })
  assignee?: string;

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

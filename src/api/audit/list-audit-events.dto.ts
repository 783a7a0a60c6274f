import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { AUDIT_EVENT_TYPES } from '../../domain/audit';
import { dateTime } from '../common/api-docs';
import { ListQueryDto } from '../common/pagination';

const TYPES = Object.keys(AUDIT_EVENT_TYPES).join(', ');

export class ListAuditEventsDto extends ListQueryDto {
  @ApiPropertyOptional({ type: String, format: 'uuid', description: 'Only what this user did' })
  @IsOptional()
  @IsUUID('all', { message: 'actorId must be the id (uuid) of a user' })
  actorId?: string;

  @ApiPropertyOptional({ type: String, example: 'workflow.activated,workflow.deactivated', description: `Comma-separated types: ${TYPES}` })
  @IsOptional() @IsString() @MaxLength(1000)
  type?: string;

  @ApiPropertyOptional({ ...dateTime, description: 'Only entries made at or after this instant (ISO 8601 with a time zone)' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'from must be an ISO 8601 date-time such as "2026-12-01T00:00:00Z"' })
  from?: string;

  @ApiPropertyOptional({ ...dateTime, description: 'Only entries made before this instant (ISO 8601 with a time zone)' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'to must be an ISO 8601 date-time such as "2026-12-31T00:00:00Z"' })
  to?: string;
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';

export class PutDelegationDto {
  @ApiProperty({ type: String, format: 'uuid', description: 'the user of the same company who receives your approval requests' })
  @IsUUID('all', { message: 'delegateId must be a user id (uuid)' })
  delegateId!: string;

  @ApiProperty({ type: String, format: 'date-time', example: '2026-12-20T00:00:00Z' })
  @IsISO8601({ strict: true }, { message: 'from must be an ISO 8601 date-time' })
  from!: string;

  @ApiProperty({ type: String, format: 'date-time', example: '2027-01-05T00:00:00Z', description: 'after from, and in the future' })
  @IsISO8601({ strict: true }, { message: 'until must be an ISO 8601 date-time' })
  until!: string;

  @ApiPropertyOptional({ type: String, maxLength: 500, example: 'Holidays; Camille decides for me' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  note?: string;
}

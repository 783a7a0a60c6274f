import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';
import { uuid } from '../../common/api-docs';

export class DeactivateUserDto {
  @ApiPropertyOptional({
    ...uuid,
    description: 'An active user of the company who receives the approval seats the user holds in pending approvals; required when there are any',
  })
  @IsOptional()
  @IsUUID('all', { message: 'handoverTo must be a user id (uuid)' })
  handoverTo?: string;
}

import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { ListQueryDto } from '../../common/pagination';

export class ListNotificationsQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'true: unread only; false: read only' })
  @IsOptional() @IsIn(['true', 'false'], { message: 'unread must be "true" or "false"' })
  unread?: 'true' | 'false';
}

import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { text } from '../../common/api-docs';
import { ListQueryDto } from '../../common/pagination';

export class ListSuppressionsQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ ...text, maxLength: 320, description: 'Only the suppression of this address (case-insensitive)' })
  @IsOptional() @IsString() @MaxLength(320)
  address?: string;
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { text } from '../../common/api-docs';

export class ApproveBillDto {
  @ApiPropertyOptional({ ...text, maxLength: 2000, example: 'Matches the purchase order' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  comment?: string;
}

export class RejectBillDto {
  @ApiProperty({ ...text, minLength: 1, maxLength: 2000, example: 'Billed twice: see V-88190' })
  @IsString({ message: 'reason must say why the bill is rejected' })
  @Matches(/\S/, { message: 'reason must say why the bill is rejected (not blank)' })
  @MaxLength(2000)
  reason!: string;
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { text } from '../../common/api-docs';

export class ApproveInvoiceDto {
  @ApiPropertyOptional({ ...text, maxLength: 2000, example: 'Checked against the purchase order' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  comment?: string;
}

export class RejectInvoiceDto {
  @ApiProperty({ ...text, minLength: 1, maxLength: 2000, example: 'Wrong customer: this belongs to Acme East' })
  @IsString()
  @Matches(/\S/, { message: 'reason must say why the invoice is rejected (not blank)' })
  @MaxLength(2000)
  reason!: string;
}

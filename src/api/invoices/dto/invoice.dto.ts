import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { APPROVAL_STATUSES } from '../../../db/entities';
import { IsOmittable } from '../../common/optional';
import { date, money, nullable, text, uuid as uuidSchema } from '../../common/api-docs';
import { ListQueryDto } from '../../common/pagination';
import { IsDateOnly, IsListOf, IsMoney } from '../../common/validators';

/** `a,b` (or the parameter repeated), every value one of `allowed`. */
const uuid = (field: string) => IsUUID('all', { message: `${field} must be an id (a UUID)` });
const flag = (field: string) => IsIn(['true', 'false'], { message: `${field} must be "true" or "false"` });

export class CreateInvoiceDto {
  @ApiProperty({ ...text, minLength: 1, maxLength: 64, example: 'INV-1042', description: 'Unique within the company' })
  @IsString({ message: 'number must be a string' }) @IsNotEmpty({ message: 'number must not be empty' }) @MaxLength(64)
  number!: string;

  @ApiProperty({ ...uuidSchema, example: '3f0e1c9a-5b2d-4c1e-9a7f-2d6b8e4c1a00', description: 'A customer of the company' })
  @uuid('customerId')
  customerId!: string;

  @ApiPropertyOptional({ ...nullable(uuidSchema), example: 'b7e4a1c2-9d3f-4a6b-8c5e-1f2a3b4c5d60', description: 'A location of the company' })
  @IsOptional() @uuid('locationId')
  locationId?: string | null;

  @ApiProperty({ ...money, description: 'Decimal string, at most two decimals, not negative' })
  @IsMoney()
  amount!: string;

  @ApiPropertyOptional({ ...date, description: 'YYYY-MM-DD; defaults to today in the company\'s time zone' })
  @IsOmittable() @IsDateOnly()
  issueDate?: string;

  @ApiProperty({ ...date, example: '2026-12-31', description: 'YYYY-MM-DD, not before issueDate' })
  @IsDateOnly()
  dueDate!: string;

  @ApiPropertyOptional({ ...text, maxLength: 4000, example: 'Thank you for your business.', default: '' })
  @IsOmittable() @IsString({ message: 'memo must be a string' }) @MaxLength(4000)
  memo?: string;
}

export class UpdateInvoiceDto {
  @ApiPropertyOptional({ ...text, minLength: 1, maxLength: 64, example: 'INV-1042-A' })
  @IsOmittable() @IsString({ message: 'number must be a string' }) @IsNotEmpty({ message: 'number must not be empty' }) @MaxLength(64)
  number?: string;

  @ApiPropertyOptional({ ...uuidSchema, example: '3f0e1c9a-5b2d-4c1e-9a7f-2d6b8e4c1a00' })
  @IsOmittable() @uuid('customerId')
  customerId?: string;

  @ApiPropertyOptional({ ...nullable(uuidSchema), description: 'null removes the location' })
  @IsOptional() @uuid('locationId')
  locationId?: string | null;

  @ApiPropertyOptional({ ...money, example: '1500.00', description: 'Not below what has already been paid; the balance follows' })
  @IsOmittable() @IsMoney()
  amount?: string;

  @ApiPropertyOptional(date)
  @IsOmittable() @IsDateOnly()
  issueDate?: string;

  @ApiPropertyOptional({ ...date, example: '2027-01-15' })
  @IsOmittable() @IsDateOnly()
  dueDate?: string;

  @ApiPropertyOptional({ ...text, maxLength: 4000, example: 'Net 30' })
  @IsOmittable() @IsString({ message: 'memo must be a string' }) @MaxLength(4000)
  memo?: string;
}

export class ListInvoicesQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ ...text, pattern: `^(${APPROVAL_STATUSES.join('|')})(,(${APPROVAL_STATUSES.join('|')}))*$`, description: 'One or several statuses, comma-separated', example: 'pending_approval,approved' })
  @IsOptional() @IsListOf(APPROVAL_STATUSES)
  approvalStatus?: string;

  @ApiPropertyOptional({ ...uuidSchema, description: 'Only this customer\'s invoices' })
  @IsOptional() @uuid('customerId')
  customerId?: string;

  @ApiPropertyOptional({ ...uuidSchema, description: 'Only invoices of this location' })
  @IsOptional() @uuid('locationId')
  locationId?: string;

  @ApiPropertyOptional({ ...date, description: 'Due on or after this day (YYYY-MM-DD)' })
  @IsOptional() @IsDateOnly()
  dueFrom?: string;

  @ApiPropertyOptional({ ...date, description: 'Due on or before this day (YYYY-MM-DD)', example: '2026-12-31' })
  @IsOptional() @IsDateOnly()
  dueTo?: string;

  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'true: sent invoices only; false: never sent' })
  @IsOptional() @flag('sent')
  sent?: 'true' | 'false';

  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'true: fully paid (balance 0); false: balance left' })
  @IsOptional() @flag('paid')
  paid?: 'true' | 'false';
}

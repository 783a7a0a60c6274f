import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { IsOmittable } from '../../common/optional';
import { ListQueryDto } from '../../common/pagination';
import { IsDateOnly, IsMoney } from '../../common/validators';

const uuid = (field: string) => IsUUID('all', { message: `${field} must be an id (a UUID)` });

export class CreateBillDto {
  @ApiProperty({ example: '8d2b6f3e-0c4a-4e7b-b1d9-5a3c7e2f9b10', description: 'A vendor of the company' })
  @uuid('vendorId')
  vendorId!: string;

  @ApiPropertyOptional({ nullable: true, description: 'A location of the company' })
  @IsOptional() @uuid('locationId')
  locationId?: string | null;

  @ApiPropertyOptional({ example: 'V-88213', nullable: true, description: 'The vendor\'s reference' })
  @IsOptional() @IsString({ message: 'number must be a string' }) @MaxLength(64)
  number?: string | null;

  @ApiProperty({ example: '480.00' })
  @IsMoney()
  amount!: string;

  @ApiPropertyOptional({ example: '2026-12-01', nullable: true })
  @IsOptional() @IsDateOnly()
  issueDate?: string | null;

  @ApiProperty({ example: '2026-12-15' })
  @IsDateOnly()
  dueDate!: string;

  @ApiPropertyOptional({ example: 'Office supplies', default: '' })
  @IsOmittable() @IsString({ message: 'memo must be a string' }) @MaxLength(4000)
  memo?: string;
}

export class UpdateBillDto {
  @ApiPropertyOptional()
  @IsOmittable() @uuid('vendorId')
  vendorId?: string;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional() @uuid('locationId')
  locationId?: string | null;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional() @IsString({ message: 'number must be a string' }) @MaxLength(64)
  number?: string | null;

  @ApiPropertyOptional({ example: '500.00', description: 'Only while the bill is unpaid; the balance follows' })
  @IsOmittable() @IsMoney()
  amount?: string;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional() @IsDateOnly()
  issueDate?: string | null;

  @ApiPropertyOptional({ example: '2026-12-20' })
  @IsOmittable() @IsDateOnly()
  dueDate?: string;

  @ApiPropertyOptional()
  @IsOmittable() @IsString({ message: 'memo must be a string' }) @MaxLength(4000)
  memo?: string;
}

export class PayBillDto {
  @ApiPropertyOptional({ example: '2026-12-14T16:00:00.000Z', description: 'When it was paid; defaults to now' })
  @IsOmittable() @IsISO8601({ strict: true }, { message: 'paidAt must be an ISO 8601 date-time such as "2026-12-14T16:00:00Z"' })
  paidAt?: string;
}

export class ListBillsQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ description: 'Only this vendor\'s bills' })
  @IsOptional() @uuid('vendorId')
  vendorId?: string;

  @ApiPropertyOptional({ description: 'Due on or after this day (YYYY-MM-DD)' })
  @IsOptional() @IsDateOnly()
  dueFrom?: string;

  @ApiPropertyOptional({ description: 'Due on or before this day (YYYY-MM-DD)' })
  @IsOptional() @IsDateOnly()
  dueTo?: string;

  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'true: paid bills only; false: unpaid only' })
  @IsOptional() @IsIn(['true', 'false'], { message: 'paid must be "true" or "false"' })
  paid?: 'true' | 'false';
}

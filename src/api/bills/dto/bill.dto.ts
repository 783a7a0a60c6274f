import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { IsOmittable } from '../../common/optional';
import { ListQueryDto } from '../../common/pagination';
import { IsDateOnly, IsMoney } from '../../common/validators';
import { date, dateTime, money, nullable, text, uuid as uuidSchema } from '../../common/api-docs';

const uuid = (field: string) => IsUUID('all', { message: `${field} must be an id (a UUID)` });

export class CreateBillDto {
  @ApiProperty({ ...uuidSchema, example: '8d2b6f3e-0c4a-4e7b-b1d9-5a3c7e2f9b10', description: 'A vendor of the company' })
  @uuid('vendorId')
  vendorId!: string;

  @ApiPropertyOptional({ ...nullable(uuidSchema), description: 'A location of the company' })
  @IsOptional() @uuid('locationId')
  locationId?: string | null;

  @ApiPropertyOptional({ ...nullable(text), maxLength: 64, example: 'V-88213', description: 'The vendor\'s reference' })
  @IsOptional() @IsString({ message: 'number must be a string' }) @MaxLength(64)
  number?: string | null;

  @ApiProperty({ ...money, example: '480.00' })
  @IsMoney()
  amount!: string;

  @ApiPropertyOptional({ ...nullable(date), example: '2026-12-01' })
  @IsOptional() @IsDateOnly()
  issueDate?: string | null;

  @ApiProperty({ ...date, example: '2026-12-15' })
  @IsDateOnly()
  dueDate!: string;

  @ApiPropertyOptional({ ...text, maxLength: 4000, example: 'Office supplies', default: '' })
  @IsOmittable() @IsString({ message: 'memo must be a string' }) @MaxLength(4000)
  memo?: string;
}

export class UpdateBillDto {
  @ApiPropertyOptional(uuidSchema)
  @IsOmittable() @uuid('vendorId')
  vendorId?: string;

  @ApiPropertyOptional({ ...nullable(uuidSchema) })
  @IsOptional() @uuid('locationId')
  locationId?: string | null;

  @ApiPropertyOptional({ ...nullable(text), maxLength: 64 })
  @IsOptional() @IsString({ message: 'number must be a string' }) @MaxLength(64)
  number?: string | null;

  @ApiPropertyOptional({ ...money, example: '500.00', description: 'Only while the bill is unpaid; the balance follows' })
  @IsOmittable() @IsMoney()
  amount?: string;

  @ApiPropertyOptional({ ...nullable(date) })
  @IsOptional() @IsDateOnly()
  issueDate?: string | null;

  @ApiPropertyOptional({ ...date, example: '2026-12-20' })
  @IsOmittable() @IsDateOnly()
  dueDate?: string;

  @ApiPropertyOptional({ ...text, maxLength: 4000 })
  @IsOmittable() @IsString({ message: 'memo must be a string' }) @MaxLength(4000)
  memo?: string;
}

export class PayBillDto {
  @ApiPropertyOptional({ ...dateTime, example: '2026-12-14T16:00:00.000Z', description: 'When it was paid; defaults to now' })
  @IsOmittable() @IsISO8601({ strict: true }, { message: 'paidAt must be an ISO 8601 date-time such as "2026-12-14T16:00:00Z"' })
  paidAt?: string;
}

export class ListBillsQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ ...uuidSchema, description: 'Only this vendor\'s bills' })
  @IsOptional() @uuid('vendorId')
  vendorId?: string;

  @ApiPropertyOptional({ ...date, description: 'Due on or after this day (YYYY-MM-DD)' })
  @IsOptional() @IsDateOnly()
  dueFrom?: string;

  @ApiPropertyOptional({ ...date, description: 'Due on or before this day (YYYY-MM-DD)' })
  @IsOptional() @IsDateOnly()
  dueTo?: string;

  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'true: paid bills only; false: unpaid only' })
  @IsOptional() @IsIn(['true', 'false'], { message: 'paid must be "true" or "false"' })
  paid?: 'true' | 'false';
}

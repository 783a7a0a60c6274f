import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { IsOmittable } from '../../common/optional';
import { ListQueryDto } from '../../common/pagination';
import { IsMoney } from '../../common/validators';
import { dateTime, nullable, positiveMoney, text, uuid as uuidSchema } from '../../common/api-docs';

const uuid = (field: string) => IsUUID('all', { message: `${field} must be an id (a UUID)` });

export class CreatePaymentDto {
  @ApiProperty({ ...uuidSchema, example: '5c9d2e7f-1a3b-4c8d-9e0f-6a7b8c9d0e12', description: 'An invoice of the company' })
  @uuid('invoiceId')
  invoiceId!: string;

  @ApiProperty({ ...positiveMoney, description: 'More than 0.00 and at most the invoice balance' })
  @IsMoney({ positive: true })
  amount!: string;

  @ApiPropertyOptional({ ...dateTime, example: '2026-12-10T15:30:00.000Z', description: 'When the money was received; defaults to now' })
  @IsOmittable() @IsISO8601({ strict: true }, { message: 'receivedAt must be an ISO 8601 date-time such as "2026-12-10T15:30:00Z"' })
  receivedAt?: string;

  @ApiPropertyOptional({ ...nullable(text), maxLength: 50, minLength: 1, example: 'check', description: 'Free text: check, card, transfer, cash, ...' })
  @IsOptional() @IsString({ message: 'method must be a string' }) @IsNotEmpty({ message: 'method must not be empty' }) @MaxLength(50)
  method?: string | null;
}

export class ListPaymentsQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ ...uuidSchema, description: 'Only the payments of this invoice' })
  @IsOptional() @uuid('invoiceId')
  invoiceId?: string;

  @ApiPropertyOptional({ ...uuidSchema, description: 'Only the payments of this customer' })
  @IsOptional() @uuid('customerId')
  customerId?: string;

  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'false: undeposited funds; true: already in a bank deposit' })
  @IsOptional() @IsIn(['true', 'false'], { message: 'deposited must be "true" or "false"' })
  deposited?: 'true' | 'false';
}

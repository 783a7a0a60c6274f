import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayNotEmpty, ArrayUnique, IsArray, IsISO8601, IsString, IsUUID, MaxLength } from 'class-validator';
import { IsOmittable } from '../../common/optional';
import { ListQueryDto } from '../../common/pagination';
import { dateTime, text } from '../../common/api-docs';

export class CreateDepositDto {
  @ApiProperty({ type: 'array', items: { type: 'string', format: 'uuid' }, minItems: 1, maxItems: 1000, uniqueItems: true, example: ['9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c60'], description: 'Undeposited payments of the company' })
  @IsArray({ message: 'paymentIds must be an array of payment ids' })
  @ArrayNotEmpty({ message: 'paymentIds must list at least one payment' })
  @ArrayMaxSize(1000, { message: 'paymentIds may list at most 1000 payments' })
  @ArrayUnique({ message: 'paymentIds must not list a payment twice' })
  @IsUUID('all', { each: true, message: 'each of paymentIds must be an id (a UUID)' })
  paymentIds!: string[];

  @ApiPropertyOptional({ ...dateTime, example: '2026-12-11T10:00:00.000Z', description: 'When the money reached the bank; defaults to now' })
  @IsOmittable() @IsISO8601({ strict: true }, { message: 'depositedAt must be an ISO 8601 date-time such as "2026-12-11T10:00:00Z"' })
  depositedAt?: string;

  @ApiPropertyOptional({ ...text, maxLength: 4000, example: 'Deposit slip 0042', default: '' })
  @IsOmittable() @IsString({ message: 'memo must be a string' }) @MaxLength(4000)
  memo?: string;
}

export class ListDepositsQueryDto extends ListQueryDto {}

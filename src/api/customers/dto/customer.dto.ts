import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsEmail, IsIn, IsNotEmpty, IsOptional, IsString, MaxLength, ValidateIf } from 'class-validator';
import { SUPPORTED_LOCALES } from '../../../domain/locales';
import { IsTimezone } from '../../companies/dto/company.dto';
import { IsOmittable } from '../../common/optional';
import { ListQueryDto } from '../../common/pagination';
import { email, nullable, nullableTimezone, text } from '../../common/api-docs';

export class CreateCustomerDto {
  @ApiProperty({ ...text, maxLength: 200, minLength: 1, example: 'Globex Corporation' })
  @IsString({ message: 'name must be a string' }) @IsNotEmpty({ message: 'name must not be empty' }) @MaxLength(200)
  name!: string;

  @ApiPropertyOptional({ ...nullable(email), maxLength: 320, example: 'billing@globex.test', description: 'Where invoices and reminders are emailed' })
  @IsOptional() @IsEmail({}, { message: 'email must be an email address' }) @MaxLength(320)
  email?: string | null;

  @ApiPropertyOptional({ ...nullable(text), maxLength: 100, minLength: 1, example: 'wholesale', description: 'Customer group, usable in workflow conditions' })
  @IsOptional() @IsString({ message: 'group must be a string' }) @IsNotEmpty({ message: 'group must not be empty (send null to clear it)' })
  @MaxLength(100)
  group?: string | null;

  @ApiPropertyOptional({ type: 'boolean', default: true, description: 'False: no reminder reaches the customer (invoices and receipts still do); set false by their unsubscribe link' })
  @IsOmittable() @IsBoolean({ message: 'remindersEnabled must be true or false' })
  remindersEnabled?: boolean;

  @ApiPropertyOptional({ ...nullableTimezone, example: 'America/Vancouver', description: "IANA zone of the customer's send window; null: the company's" })
  @IsOptional() @ValidateIf((_, v) => v !== null) @IsTimezone()
  timezone?: string | null;

  @ApiPropertyOptional({
    enum: [...SUPPORTED_LOCALES], nullable: true, type: String, example: 'fr-CA', description: "IETF tag of the customer's emails and pages; null: the company's",
  })
  @IsOptional() @ValidateIf((_, v) => v !== null) @IsIn([...SUPPORTED_LOCALES], { message: `locale must be one of ${SUPPORTED_LOCALES.join(', ')}` })
  locale?: string | null;
}

export class UpdateCustomerDto {
  @ApiPropertyOptional({ ...text, maxLength: 200, minLength: 1, example: 'Globex Corp.' })
  @IsOmittable() @IsString({ message: 'name must be a string' }) @IsNotEmpty({ message: 'name must not be empty' }) @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ ...nullable(email), maxLength: 320, example: 'ap@globex.test' })
  @IsOptional() @IsEmail({}, { message: 'email must be an email address' }) @MaxLength(320)
  email?: string | null;

  @ApiPropertyOptional({ ...nullable(text), maxLength: 100, minLength: 1, example: 'retail' })
  @IsOptional() @IsString({ message: 'group must be a string' }) @IsNotEmpty({ message: 'group must not be empty (send null to clear it)' })
  @MaxLength(100)
  group?: string | null;

  @ApiPropertyOptional({ type: 'boolean', default: true, description: 'False: no reminder reaches the customer (invoices and receipts still do); set false by their unsubscribe link' })
  @IsOmittable() @IsBoolean({ message: 'remindersEnabled must be true or false' })
  remindersEnabled?: boolean;

  @ApiPropertyOptional({ ...nullableTimezone, example: 'America/Vancouver', description: "IANA zone of the customer's send window; null: the company's" })
  @IsOptional() @ValidateIf((_, v) => v !== null) @IsTimezone()
  timezone?: string | null;

  @ApiPropertyOptional({
    enum: [...SUPPORTED_LOCALES], nullable: true, type: String, example: 'fr-CA', description: "IETF tag of the customer's emails and pages; null: the company's",
  })
  @IsOptional() @ValidateIf((_, v) => v !== null) @IsIn([...SUPPORTED_LOCALES], { message: `locale must be one of ${SUPPORTED_LOCALES.join(', ')}` })
  locale?: string | null;
}

export class ListCustomersQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ ...text, maxLength: 100, description: 'Only customers of this group', example: 'wholesale' })
  @IsOptional() @IsString() @MaxLength(100)
  group?: string;

  @ApiPropertyOptional({ ...text, maxLength: 320, description: 'Only the customer with this email (case-insensitive)' })
  @IsOptional() @IsString() @MaxLength(320)
  email?: string;
}

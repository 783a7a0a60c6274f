import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsEmail, IsNotEmpty, IsOptional, IsString, MaxLength, ValidateIf } from 'class-validator';
import { IsTimezone } from '../../companies/dto/company.dto';
import { IsOmittable } from '../../common/optional';
import { ListQueryDto } from '../../common/pagination';

export class CreateCustomerDto {
  @ApiProperty({ example: 'Globex Corporation' })
  @IsString({ message: 'name must be a string' }) @IsNotEmpty({ message: 'name must not be empty' }) @MaxLength(200)
  name!: string;

  @ApiPropertyOptional({ example: 'billing@globex.test', nullable: true, description: 'Where invoices and reminders are emailed' })
  @IsOptional() @IsEmail({}, { message: 'email must be an email address' }) @MaxLength(320)
  email?: string | null;

  @ApiPropertyOptional({ example: 'wholesale', nullable: true, description: 'Customer group, usable in workflow conditions' })
  @IsOptional() @IsString({ message: 'group must be a string' }) @IsNotEmpty({ message: 'group must not be empty (send null to clear it)' })
  @MaxLength(100)
  group?: string | null;

  @ApiPropertyOptional({ type: 'boolean', default: true, description: 'False: no reminder reaches the customer (invoices and receipts still do); set false by their unsubscribe link' })
  @IsOmittable() @IsBoolean({ message: 'remindersEnabled must be true or false' })
  remindersEnabled?: boolean;

  @ApiPropertyOptional({ type: 'string', nullable: true, example: 'America/Vancouver', description: "IANA zone of the customer's send window; null: the company's" })
  @IsOptional() @ValidateIf((_, v) => v !== null) @IsTimezone()
  timezone?: string | null;
}

export class UpdateCustomerDto {
  @ApiPropertyOptional({ example: 'Globex Corp.' })
  @IsOmittable() @IsString({ message: 'name must be a string' }) @IsNotEmpty({ message: 'name must not be empty' }) @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ example: 'ap@globex.test', nullable: true })
  @IsOptional() @IsEmail({}, { message: 'email must be an email address' }) @MaxLength(320)
  email?: string | null;

  @ApiPropertyOptional({ example: 'retail', nullable: true })
  @IsOptional() @IsString({ message: 'group must be a string' }) @IsNotEmpty({ message: 'group must not be empty (send null to clear it)' })
  @MaxLength(100)
  group?: string | null;

  @ApiPropertyOptional({ type: 'boolean', default: true, description: 'False: no reminder reaches the customer (invoices and receipts still do); set false by their unsubscribe link' })
  @IsOmittable() @IsBoolean({ message: 'remindersEnabled must be true or false' })
  remindersEnabled?: boolean;

  @ApiPropertyOptional({ type: 'string', nullable: true, example: 'America/Vancouver', description: "IANA zone of the customer's send window; null: the company's" })
  @IsOptional() @ValidateIf((_, v) => v !== null) @IsTimezone()
  timezone?: string | null;
}

export class ListCustomersQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ description: 'Only customers of this group', example: 'wholesale' })
  @IsOptional() @IsString() @MaxLength(100)
  group?: string;

  @ApiPropertyOptional({ description: 'Only the customer with this email (case-insensitive)' })
  @IsOptional() @IsString() @MaxLength(320)
  email?: string;
}

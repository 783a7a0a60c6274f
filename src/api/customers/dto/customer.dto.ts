import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
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
}

export class ListCustomersQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ description: 'Only customers of this group', example: 'wholesale' })
  @IsOptional() @IsString() @MaxLength(100)
  group?: string;

  @ApiPropertyOptional({ description: 'Only the customer with this email (case-insensitive)' })
  @IsOptional() @IsString() @MaxLength(320)
  email?: string;
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsOmittable } from '../../common/optional';
import { ListQueryDto } from '../../common/pagination';
import { email, nullable, text } from '../../common/api-docs';

export class CreateVendorDto {
  @ApiProperty({ ...text, maxLength: 200, minLength: 1, example: 'Initech Supplies' })
  @IsString({ message: 'name must be a string' }) @IsNotEmpty({ message: 'name must not be empty' }) @MaxLength(200)
  name!: string;

  @ApiPropertyOptional({ ...nullable(email), maxLength: 320, example: 'ar@initech.test' })
  @IsOptional() @IsEmail({}, { message: 'email must be an email address' }) @MaxLength(320)
  email?: string | null;
}

export class UpdateVendorDto {
  @ApiPropertyOptional({ ...text, maxLength: 200, minLength: 1, example: 'Initech Supplies Ltd.' })
  @IsOmittable() @IsString({ message: 'name must be a string' }) @IsNotEmpty({ message: 'name must not be empty' }) @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ ...nullable(email), maxLength: 320, example: 'billing@initech.test' })
  @IsOptional() @IsEmail({}, { message: 'email must be an email address' }) @MaxLength(320)
  email?: string | null;
}

export class ListVendorsQueryDto extends ListQueryDto {}

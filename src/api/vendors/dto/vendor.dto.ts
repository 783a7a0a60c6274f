import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsOmittable } from '../../common/optional';
import { ListQueryDto } from '../../common/pagination';

export class CreateVendorDto {
  @ApiProperty({ example: 'Initech Supplies' })
  @IsString({ message: 'name must be a string' }) @IsNotEmpty({ message: 'name must not be empty' }) @MaxLength(200)
  name!: string;

  @ApiPropertyOptional({ example: 'ar@initech.test', nullable: true })
  @IsOptional() @IsEmail({}, { message: 'email must be an email address' }) @MaxLength(320)
  email?: string | null;
}

export class UpdateVendorDto {
  @ApiPropertyOptional({ example: 'Initech Supplies Ltd.' })
  @IsOmittable() @IsString({ message: 'name must be a string' }) @IsNotEmpty({ message: 'name must not be empty' }) @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ example: 'billing@initech.test', nullable: true })
  @IsOptional() @IsEmail({}, { message: 'email must be an email address' }) @MaxLength(320)
  email?: string | null;
}

export class ListVendorsQueryDto extends ListQueryDto {}

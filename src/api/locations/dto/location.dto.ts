import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { IsOmittable } from '../../common/optional';
import { ListQueryDto } from '../../common/pagination';
import { text } from '../../common/api-docs';

export class CreateLocationDto {
  @ApiProperty({ ...text, maxLength: 200, minLength: 1, example: 'Montréal' })
  @IsString({ message: 'name must be a string' }) @IsNotEmpty({ message: 'name must not be empty' }) @MaxLength(200)
  name!: string;
}

export class UpdateLocationDto {
  @ApiPropertyOptional({ ...text, maxLength: 200, minLength: 1, example: 'Québec' })
  @IsOmittable() @IsString({ message: 'name must be a string' }) @IsNotEmpty({ message: 'name must not be empty' }) @MaxLength(200)
  name?: string;
}

export class ListLocationsQueryDto extends ListQueryDto {}

import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, Matches, MaxLength } from 'class-validator';
import { text } from '../../common/api-docs';
import { IsOmittable } from '../../common/optional';

/** `PATCH /v1/users/:id`: each field given is changed, an omitted one stays. */
export class UpdateUserDto {
  @ApiPropertyOptional({ enum: ['admin', 'standard'], description: 'the company keeps at least one active admin' })
  @IsOmittable() @IsIn(['admin', 'standard'], { message: 'role must be "admin" or "standard"' })
  role?: 'admin' | 'standard';

  @ApiPropertyOptional({ ...text, minLength: 1, maxLength: 200, example: 'Sam Standard' })
  @IsOmittable() @IsString() @Matches(/\S/, { message: 'name must not be empty' }) @MaxLength(200)
  name?: string;
}

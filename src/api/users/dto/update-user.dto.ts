import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength, ValidateIf } from 'class-validator';
import { money, nullable, text } from '../../common/api-docs';
import { IsOmittable } from '../../common/optional';
import { IsMoney } from '../../common/validators';

/** `PATCH /v1/users/:id`: each field given is changed, an omitted one stays. */
export class UpdateUserDto {
  @ApiPropertyOptional({ enum: ['admin', 'standard'], description: 'the company keeps at least one active admin' })
  @IsOmittable() @IsIn(['admin', 'standard'], { message: 'role must be "admin" or "standard"' })
  role?: 'admin' | 'standard';

  @ApiPropertyOptional({ ...text, minLength: 1, maxLength: 200, example: 'Sam Standard' })
  @IsOmittable() @IsString() @Matches(/\S/, { message: 'name must not be empty' }) @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({
    ...nullable(money), example: '5000.00',
    description: 'the largest amount a step routed by limit may ask the user to approve (a decimal string); null = no limit. ' +
      'Lowering it takes the seats it no longer covers in pending approvals',
  })
  @IsOptional() @ValidateIf((_, v) => v !== null)
  @IsMoney()
  approvalLimit?: string | null;
}

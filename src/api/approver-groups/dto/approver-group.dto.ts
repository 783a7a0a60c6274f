import { ApiProperty, type ApiPropertyOptions, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { text } from '../../common/api-docs';
import { IsOmittable } from '../../common/optional';

export const MAX_GROUP_MEMBERS = 500;

const name = { ...text, minLength: 1, maxLength: 200, example: 'Finance', description: 'unique in the company, case aside' } satisfies ApiPropertyOptions;
const memberIds = {
  type: String, isArray: true, format: 'uuid', maxItems: MAX_GROUP_MEMBERS,
  description: `active users of the company (at most ${MAX_GROUP_MEMBERS}); the whole list: members left out are removed`,
} satisfies ApiPropertyOptions;

/** `POST /v1/approver-groups`. */
export class CreateApproverGroupDto {
  @ApiProperty(name)
  @IsString() @Matches(/\S/, { message: 'name must not be empty' }) @MaxLength(200)
  name!: string;

  @ApiProperty(memberIds)
  @IsArray({ message: 'memberIds must be a list of user ids' })
  @ArrayMaxSize(MAX_GROUP_MEMBERS, { message: `memberIds may hold at most ${MAX_GROUP_MEMBERS} users` })
  @IsUUID('all', { each: true, message: 'each of memberIds must be a user id (a UUID)' })
  memberIds!: string[];
}

/** `PATCH /v1/approver-groups/:id`: each field given is changed, an omitted one stays. */
export class UpdateApproverGroupDto {
  @ApiPropertyOptional(name)
  @IsOmittable() @IsString() @Matches(/\S/, { message: 'name must not be empty' }) @MaxLength(200)
  name?: string;

  @ApiPropertyOptional(memberIds)
  @IsOmittable()
  @IsArray({ message: 'memberIds must be a list of user ids' })
  @ArrayMaxSize(MAX_GROUP_MEMBERS, { message: `memberIds may hold at most ${MAX_GROUP_MEMBERS} users` })
  @IsUUID('all', { each: true, message: 'each of memberIds must be a user id (a UUID)' })
  memberIds?: string[];
}

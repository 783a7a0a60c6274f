import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { email, text, uuid } from '../../common/api-docs';

export class RequestSignInLinkDto {
  @ApiProperty({ ...email, maxLength: 320, example: 'sam@acme.test' })
  @IsEmail({}, { message: 'email must be an email address' }) @MaxLength(320)
  email!: string;
}

export class StartSessionDto {
  @ApiProperty({ ...text, minLength: 1, maxLength: 200, description: 'the token of the sign-in link (the last segment of /app/sign-in/<token>)' })
  @IsString() @IsNotEmpty({ message: 'token must not be empty' }) @MaxLength(200)
  token!: string;

  @ApiProperty({ ...uuid, required: false, description: 'the company to sign in to, when the link\'s person is a user of several' })
  @IsOptional() @IsUUID('all', { message: 'companyId must be a UUID' })
  companyId?: string;
}

import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsIn, IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { email, text } from '../../common/api-docs';

export class CreateUserDto {
  @ApiProperty({ ...text, maxLength: 200, minLength: 1, example: 'Sam Standard' })
  @IsString() @IsNotEmpty({ message: 'name must not be empty' }) @MaxLength(200)
  name!: string;

  @ApiProperty({ ...email, maxLength: 320, example: 'sam@acme.test' })
  @IsEmail({}, { message: 'email must be an email address' }) @MaxLength(320)
  email!: string;

  @ApiProperty({ enum: ['admin', 'standard'] })
  @IsIn(['admin', 'standard'], { message: 'role must be "admin" or "standard"' })
  role!: 'admin' | 'standard';
}

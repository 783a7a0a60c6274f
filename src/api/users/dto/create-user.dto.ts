import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsIn, IsNotEmpty, IsString, MaxLength } from 'class-validator';

export class CreateUserDto {
  @ApiProperty({ example: 'Sam Standard' })
  @IsString() @IsNotEmpty({ message: 'name must not be empty' }) @MaxLength(200)
  name!: string;

  @ApiProperty({ example: 'sam@acme.test' })
  @IsEmail({}, { message: 'email must be an email address' }) @MaxLength(320)
  email!: string;

  @ApiProperty({ enum: ['admin', 'standard'] })
  @IsIn(['admin', 'standard'], { message: 'role must be "admin" or "standard"' })
  role!: 'admin' | 'standard';
}

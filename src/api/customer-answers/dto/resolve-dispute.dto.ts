import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

export class ResolveDisputeDto {
  @ApiProperty({ type: 'string', example: 'Proof of delivery sent; the customer agreed', minLength: 1, maxLength: 2000 })
  @IsString({ message: 'resolution must be a string' }) @IsNotEmpty({ message: 'resolution must not be empty: say how the dispute was resolved' })
  @MaxLength(2000)
  resolution!: string;
}

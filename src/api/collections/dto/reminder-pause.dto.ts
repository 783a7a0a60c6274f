import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsDateOnly } from '../../common/validators';

export class PauseRemindersDto {
  @ApiPropertyOptional({
    type: 'string', format: 'date', example: '2027-01-15',
    description: 'Day reminders start again (company timezone); after today. Omitted: paused until resumed.',
  })
  @IsOptional() @IsDateOnly()
  until?: string;

  @ApiProperty({ type: 'string', example: 'Customer disputes line 3; waiting for the credit note', minLength: 1, maxLength: 500 })
  @IsString({ message: 'reason must be a string' }) @IsNotEmpty({ message: 'reason must not be empty: say why reminders stop' }) @MaxLength(500)
  reason!: string;
}

/** Whether an invoice's customer reminders are paused. */
export class ReminderPauseView {
  @ApiProperty({ type: 'string', format: 'uuid' }) invoiceId!: string;
  @ApiProperty({ type: 'boolean', description: 'True while reminders are paused (today is before `until`, or no `until`)' }) paused!: boolean;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true }) pausedAt!: string | null;
  @ApiProperty({ type: 'string', format: 'date', nullable: true }) until!: string | null;
  @ApiProperty({ type: 'string', nullable: true }) reason!: string | null;
}

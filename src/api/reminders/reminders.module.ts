import { Module } from '@nestjs/common';
import { PaymentEventsService } from './payment-events.service';
import { ReminderSchedulesService } from './reminder-schedules.service';
import { RemindersController } from './reminders.controller';
import { RemindersService } from './reminders.service';

/**
 * Reminders on Temporal Schedules. The definitions module binds its lifecycle token to ReminderSchedulesService;
 * the ledger calls PaymentEventsService.onPaymentRecorded; companies call pauseAllForCompany on downgrade.
 */
@Module({
  controllers: [RemindersController],
  providers: [ReminderSchedulesService, RemindersService, PaymentEventsService],
  exports: [ReminderSchedulesService, PaymentEventsService],
})
export class RemindersModule {}

import { Module } from '@nestjs/common';
import { InvoicePdfController } from './invoice-pdf.controller';
import { ReminderPausesController } from './reminder-pauses.controller';
import { ReminderPausesService } from './reminder-pauses.service';
import { UnsubscribeController } from './unsubscribe.controller';

/** Pausing an invoice's reminders, the invoice PDF and the customers' unsubscribe page. */
@Module({ controllers: [ReminderPausesController, InvoicePdfController, UnsubscribeController], providers: [ReminderPausesService] })
export class CollectionsModule {}

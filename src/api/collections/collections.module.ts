import { Module } from '@nestjs/common';
import { ReminderPausesController } from './reminder-pauses.controller';
import { ReminderPausesService } from './reminder-pauses.service';
import { UnsubscribeController } from './unsubscribe.controller';

/** Pausing an invoice's reminders and the customers' unsubscribe page (PRODUCT.md §10). */
@Module({ controllers: [ReminderPausesController, UnsubscribeController], providers: [ReminderPausesService] })
export class CollectionsModule {}

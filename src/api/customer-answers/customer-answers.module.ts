import { Module } from '@nestjs/common';
import { CustomerAnswersController } from './customer-answers.controller';
import { CustomerAnswersService } from './customer-answers.service';
import { InvoiceDisputesController } from './invoice-disputes.controller';
import { InvoiceDisputesService } from './invoice-disputes.service';

/** What customers answer from a reminder (the `/r/<token>` page), and the team's resolution of their disputes. */
@Module({ controllers: [CustomerAnswersController, InvoiceDisputesController], providers: [CustomerAnswersService, InvoiceDisputesService] })
export class CustomerAnswersModule {}

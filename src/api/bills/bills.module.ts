import { Module } from '@nestjs/common';
import { ApprovalsModule } from '../approvals/approvals.module';
import { BillApprovalsController } from './bill-approvals.controller';
import { BillsController } from './bills.controller';
import { BillsService } from './bills.service';

@Module({ imports: [ApprovalsModule], controllers: [BillsController, BillApprovalsController], providers: [BillsService] })
export class BillsModule {}

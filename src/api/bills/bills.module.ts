import { Module } from '@nestjs/common';
import { ApprovalsModule } from '../approvals/approvals.module';
import { BillsController } from './bills.controller';
import { BillsService } from './bills.service';

@Module({ imports: [ApprovalsModule], controllers: [BillsController], providers: [BillsService] })
export class BillsModule {}

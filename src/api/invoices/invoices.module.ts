import { Module } from '@nestjs/common';
import { ApprovalsModule } from '../approvals/approvals.module';
import { InvoicesController } from './invoices.controller';
import { InvoicesService } from './invoices.service';

@Module({ imports: [ApprovalsModule], controllers: [InvoicesController], providers: [InvoicesService], exports: [InvoicesService] })
export class InvoicesModule {}

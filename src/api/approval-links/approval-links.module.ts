import { Module } from '@nestjs/common';
import { ApprovalsModule } from '../approvals/approvals.module';
import { ApprovalLinksController } from './approval-links.controller';
import { ApprovalLinksService } from './approval-links.service';

@Module({ imports: [ApprovalsModule], controllers: [ApprovalLinksController], providers: [ApprovalLinksService] })
export class ApprovalLinksModule {}

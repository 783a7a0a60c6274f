import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { WorkflowDefinition } from '../../db/entities';
import { type Condition, evaluateConditions } from '../../domain/conditions';
import { ApprovalMatcher, EVALUATE_CONDITIONS, type EvaluateConditions } from './approval-matcher';
import { ApprovalsController } from './approvals.controller';
import { ApprovalsService } from './approvals.service';
import { BulkDecisionsController } from './bulk-decisions.controller';
import { BulkDecisionsService } from './bulk-decisions.service';

const evaluateDocumentConditions: EvaluateConditions = (recordType, conditions, record, options) =>
  evaluateConditions(recordType, conditions as Condition[], record, options);

@Module({
  imports: [TypeOrmModule.forFeature([WorkflowDefinition])],
  controllers: [ApprovalsController, BulkDecisionsController],
  providers: [ApprovalsService, BulkDecisionsService, ApprovalMatcher, { provide: EVALUATE_CONDITIONS, useValue: evaluateDocumentConditions }],
  exports: [ApprovalsService, ApprovalMatcher],
})
export class ApprovalsModule {}

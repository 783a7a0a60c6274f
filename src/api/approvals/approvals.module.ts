import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { WorkflowDefinition } from '../../db/entities';
import { ApprovalMatcher, EVALUATE_CONDITIONS, type EvaluateConditions } from './approval-matcher';
import { ApprovalsController } from './approvals.controller';
import { ApprovalsService } from './approvals.service';

// TODO(integration): bind src/domain/conditions.ts once it is on this branch:
//   useValue: ((type, conditions, record, options) => evaluateConditions(type, conditions as Condition[], record, options)) satisfies EvaluateConditions
const conditionsNotWired: EvaluateConditions = () => {
  throw new Error('evaluateConditions (src/domain/conditions.ts) is not wired into ApprovalsModule yet');
};

@Module({
  imports: [TypeOrmModule.forFeature([WorkflowDefinition])],
  controllers: [ApprovalsController],
  providers: [ApprovalsService, ApprovalMatcher, { provide: EVALUATE_CONDITIONS, useValue: conditionsNotWired }],
  exports: [ApprovalsService, ApprovalMatcher],
})
export class ApprovalsModule {}

import { ApiKey } from './api-key.entity';
import { Approval, ApprovalDecision } from './approval.entity';
import { ApproverGroup, ApproverGroupMember } from './approver-group.entity';
import { Bill } from './bill.entity';
import { Company } from './company.entity';
import { DiagnosticPing } from './diagnostic-ping.entity';
import { IdempotencyKey } from './idempotency-key.entity';
import { Invoice } from './invoice.entity';
import { Notification } from './notification.entity';
import { Customer, Location, Vendor } from './party.entity';
import { Deposit, Payment } from './payment.entity';
import { Task } from './task.entity';
import { TaskComment } from './task-comment.entity';
import { User } from './user.entity';
import { WorkflowDefinition } from './workflow-definition.entity';
import { WorkflowDefinitionVersion } from './workflow-definition-version.entity';
import { Delivery, WorkflowRun } from './workflow-run.entity';

export * from './api-key.entity';
export * from './approval.entity';
export * from './approver-group.entity';
export * from './bill.entity';
export * from './company.entity';
export * from './diagnostic-ping.entity';
export * from './idempotency-key.entity';
export * from './invoice.entity';
export * from './notification.entity';
export * from './party.entity';
export * from './payment.entity';
export * from './task.entity';
export * from './task-comment.entity';
export * from './user.entity';
export * from './workflow-definition.entity';
export * from './workflow-definition-version.entity';
export * from './workflow-run.entity';

export const entities = [
  DiagnosticPing, Company, User, ApiKey, Customer, Vendor, Location, Invoice, Bill, Payment, Deposit,
  WorkflowDefinition, WorkflowDefinitionVersion, Approval, ApprovalDecision, ApproverGroup, ApproverGroupMember, Task, Notification, WorkflowRun, Delivery, IdempotencyKey,
  TaskComment,
];

// Names shared by the API, the worker, the workflows and the tests: task queue, workflow ids, search attributes.
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const DEFAULT_TASK_QUEUE = 'relance';

export const workflowIds = {
  diagnosticRoundtrip: (pingId: string) => `diagnostic-roundtrip-${pingId}`,
  invoiceApproval: (invoiceId: string, submission: number) => `invoice-approval-${invoiceId}-${submission}`,
  reminderSchedule: (definitionId: string) => `reminder-${definitionId}`,
  reminderSweep: (definitionId: string) => `reminder-sweep-${definitionId}`,
};

export const searchAttributes = {
  companyId: defineSearchAttributeKey('CompanyId', SearchAttributeType.KEYWORD),
  invoiceId: defineSearchAttributeKey('InvoiceId', SearchAttributeType.KEYWORD),
  approvalStatus: defineSearchAttributeKey('ApprovalStatus', SearchAttributeType.KEYWORD),
  workflowDefinitionId: defineSearchAttributeKey('WorkflowDefinitionId', SearchAttributeType.KEYWORD),
};

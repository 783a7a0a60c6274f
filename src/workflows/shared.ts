// Names shared by the API, the worker, the workflows and the tests: task queue, workflow ids, search attributes.
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const DEFAULT_TASK_QUEUE = 'relance';

export const workflowIds = {
  diagnosticRoundtrip: (pingId: string) => `diagnostic-roundtrip-${pingId}`,
  invoiceApproval: (invoiceId: string, submission: number) => `invoice-approval-${invoiceId}-${submission}`,
  reminderSchedule: (definitionId: string) => `reminder-${definitionId}`,
  reminderSweep: (definitionId: string) => `reminder-sweep-${definitionId}`,
  /** Run-now sweeps; scheduled ones get the schedule's timestamp appended to `reminderSweep` by Temporal. */
  reminderSweepRunNow: (definitionId: string, at: Date) => `reminder-sweep-${definitionId}-run-now-${at.toISOString()}`,
  paymentReceived: (paymentId: string) => `payment-received-${paymentId}`,
  paymentReceivedDelivery: (paymentId: string, definitionId: string) => `payment-received-${paymentId}-${definitionId}`,
};

export const searchAttributes = {
  companyId: defineSearchAttributeKey('CompanyId', SearchAttributeType.KEYWORD),
  invoiceId: defineSearchAttributeKey('InvoiceId', SearchAttributeType.KEYWORD),
  approvalStatus: defineSearchAttributeKey('ApprovalStatus', SearchAttributeType.KEYWORD),
  workflowDefinitionId: defineSearchAttributeKey('WorkflowDefinitionId', SearchAttributeType.KEYWORD),
};

// Names shared by the API, the worker, the workflows and the tests: task queue, workflow types and ids, search attributes.
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const DEFAULT_TASK_QUEUE = 'relance';

/** The workflow types the worker registers (src/workflows/index.ts exports one function of each name). */
export const workflowTypes = {
  diagnosticRoundtrip: 'diagnosticRoundtrip',
  /** Every approval of a document (invoice or bill) started from this release on. */
  documentApproval: 'documentApproval',
  /** The same workflow, under the name the runs started before bills had approvals carry; kept until they close. */
  invoiceApproval: 'invoiceApproval',
  paymentReceived: 'paymentReceived',
  reminderSweep: 'reminderSweep',
  reminderDeferredDeliveries: 'reminderDeferredDeliveries',
  webhookDelivery: 'webhookDelivery',
} as const;

export const workflowIds = {
  diagnosticRoundtrip: (pingId: string) => `diagnostic-roundtrip-${pingId}`,
  invoiceApproval: (invoiceId: string, submission: number) => `invoice-approval-${invoiceId}-${submission}`,
  billApproval: (billId: string, submission: number) => `bill-approval-${billId}-${submission}`,
  reminderSchedule: (definitionId: string) => `reminder-${definitionId}`,
  reminderSweep: (definitionId: string) => `reminder-sweep-${definitionId}`,
  /** Run-now sweeps; scheduled ones get the schedule's timestamp appended to `reminderSweep` by Temporal. */
  reminderSweepRunNow: (definitionId: string, at: Date) => `reminder-sweep-${definitionId}-run-now-${at.toISOString()}`,
  /** The deliveries a sweep's run (its `segment`-th continue-as-new) handed over to wait for the send window. */
  reminderDeferredDeliveries: (sweepWorkflowId: string, segment: number) => `${sweepWorkflowId}-deferred-${segment}`,
  paymentReceived: (paymentId: string) => `payment-received-${paymentId}`,
  paymentReceivedDelivery: (paymentId: string, definitionId: string) => `payment-received-${paymentId}-${definitionId}`,
  /** One per webhook delivery (an event to an endpoint); a manual retry after it closed starts it again. */
  webhookDelivery: (deliveryId: string) => `webhook-delivery-${deliveryId}`,
};

export const searchAttributes = {
  companyId: defineSearchAttributeKey('CompanyId', SearchAttributeType.KEYWORD),
  invoiceId: defineSearchAttributeKey('InvoiceId', SearchAttributeType.KEYWORD),
  billId: defineSearchAttributeKey('BillId', SearchAttributeType.KEYWORD),
  approvalStatus: defineSearchAttributeKey('ApprovalStatus', SearchAttributeType.KEYWORD),
  workflowDefinitionId: defineSearchAttributeKey('WorkflowDefinitionId', SearchAttributeType.KEYWORD),
};

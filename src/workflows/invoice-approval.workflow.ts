import { ApplicationFailure } from '@temporalio/common';
import { type InvoiceApprovalInput, type InvoiceApprovalOutput } from '../contracts';
import { approvalWithRules } from './approval-rules';

/**
 * One submission of a document (an invoice or a bill) for approval: opens each step's tasks and asks its approvers,
 * then waits for the step's decisions (signal or Update) under the approver rules (approval-rules.ts), reminds before
 * the deadline, and rejects at it.
 */
export async function documentApproval(input: InvoiceApprovalInput): Promise<InvoiceApprovalOutput> {
  if (input.steps.length === 0 || input.steps.some((s) => s.approverIds.length === 0 && (s.groupIds ?? []).length === 0)) {
    throw ApplicationFailure.create({ type: 'InvalidApprovalSteps', message: 'every approval step needs at least one approver or group', nonRetryable: true });
  }
  return approvalWithRules(input);
}

/** The same workflow under the type that runs started before bills had approvals carry; removed once none is open. */
export const invoiceApproval = documentApproval;

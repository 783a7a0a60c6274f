import { Client, WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy } from '@temporalio/client';
import { type PaymentReceivedWorkflow, searchAttributes, workflowIds, workflowTypes } from '../contracts';
import { PaymentsRepository, type RecordedPayment } from '../db/payments.repository';
import type { Queryable } from '../db/reminder-definitions.repository';

/**
 * Hands a committed payment to its automations: starts `payment-received-<paymentId>` when the company has an
 * active `payment-received` definition, then marks the payment dispatched. Idempotent (the workflow id is taken
 * once, ever), so the API right after the commit and a worker catching up may both call it. Throws when Temporal
 * cannot be reached, leaving the payment undispatched for the next try.
 */
export async function dispatchPaymentRecorded(
  client: Client, taskQueue: string, db: Queryable, payment: RecordedPayment,
): Promise<{ workflowId: string } | null> {
  const payments = new PaymentsRepository(db);
  let started: { workflowId: string } | null = null;
  if (await payments.hasPaymentAutomation(payment.companyId)) {
    const workflowId = workflowIds.paymentReceived(payment.id);
    try {
      await client.workflow.start<PaymentReceivedWorkflow>(workflowTypes.paymentReceived, {
        taskQueue,
        workflowId,
        // One automation per payment, ever: a retried request after the first run completed starts nothing.
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
        args: [{ paymentId: payment.id, companyId: payment.companyId }],
        typedSearchAttributes: [{ key: searchAttributes.companyId, value: payment.companyId }],
        staticSummary: `Payment ${payment.id} received: notify per the payment-received workflows`,
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
    started = { workflowId };
  }
  await payments.markDispatched(payment.id);
  return started;
}

import { Client, WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy } from '@temporalio/client';
import { type PaymentReceivedWorkflow, searchAttributes, workflowIds, workflowTypes } from '../contracts';
import type { Queryable } from './reminder-scheduler';

export interface RecordedPayment {
  id: string;
  companyId: string;
}

/**
 * Hands a committed payment to its automations: starts `payment-received-<paymentId>` when the company has an
 * active `payment-received` definition, then marks the payment dispatched. Idempotent (the workflow id is taken
 * once, ever), so the API right after the commit and a worker catching up may both call it. Throws when Temporal
 * cannot be reached, leaving the payment undispatched for the next try.
 */
export async function dispatchPaymentRecorded(
  client: Client, taskQueue: string, db: Queryable, payment: RecordedPayment,
): Promise<{ workflowId: string } | null> {
  const [wanted] = await db.query(
    `SELECT 1 FROM workflow_definitions d JOIN companies c ON c.id = d.company_id
      WHERE d.company_id = $1 AND d.template_key = 'payment-received' AND d.status = 'active' AND c.plan = 'advanced' LIMIT 1`,
    [payment.companyId],
  );
  let started: { workflowId: string } | null = null;
  if (wanted) {
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
  await db.query('UPDATE payments SET events_dispatched_at = now() WHERE id = $1 AND events_dispatched_at IS NULL', [payment.id]);
  return started;
}

/** Payments committed at least `minAgeMs` ago whose automations were never dispatched (oldest first). */
export async function undispatchedPayments(db: Queryable, minAgeMs: number, limit = 100): Promise<RecordedPayment[]> {
  const rows: { id: string; company_id: string }[] = await db.query(
    `SELECT id, company_id FROM payments
      WHERE events_dispatched_at IS NULL AND created_at < now() - make_interval(secs => $1::double precision / 1000)
      ORDER BY created_at LIMIT $2`,
    [minAgeMs, limit],
  );
  return rows.map((r) => ({ id: r.id, companyId: r.company_id }));
}

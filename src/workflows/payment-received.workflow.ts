import { executeChild, proxyActivities } from '@temporalio/workflow';
import { type PaymentReceivedInput, type PaymentReceivedResult, searchAttributes, type SweepActivities, workflowIds } from '../contracts';
import { reminderSweep } from './reminder-sweep.workflow';

const { findEventDefinitions } = proxyActivities<SweepActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 10 },
});

/**
 * A payment was recorded: each active `payment-received` definition whose conditions the payment meets runs
 * as a child sweep restricted to that payment, with its own run record and delivery keys.
 */
export async function paymentReceived(input: PaymentReceivedInput): Promise<PaymentReceivedResult> {
  const definitionIds = await findEventDefinitions({ companyId: input.companyId, templateKey: 'payment-received', recordId: input.paymentId });
  const runs = await Promise.all(definitionIds.map(async (definitionId) => {
    const result = await executeChild(reminderSweep, {
      workflowId: workflowIds.paymentReceivedDelivery(input.paymentId, definitionId),
      args: [{ definitionId, companyId: input.companyId, kind: 'event', trigger: 'payment-recorded', recordIds: [input.paymentId] }],
      typedSearchAttributes: [
        { key: searchAttributes.workflowDefinitionId, value: definitionId },
        { key: searchAttributes.companyId, value: input.companyId },
      ],
      staticSummary: `Payment received ${input.paymentId}: definition ${definitionId}`,
    });
    return {
      definitionId, runRecordId: result.runRecordId, outcome: result.outcome, delivered: result.delivered, skipped: result.skipped, failed: result.failed,
    };
  }));
  return { runs };
}

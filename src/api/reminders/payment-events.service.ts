import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy } from '@temporalio/client';
import { DataSource } from 'typeorm';
import { paymentReceived } from '../../workflows/payment-received.workflow';
import { searchAttributes, workflowIds } from '../../workflows/shared';
import { TemporalClient } from '../temporal/temporal.module';

/** Starts the `payment-received` automation when a payment is recorded (`POST /v1/payments`). */
@Injectable()
export class PaymentEventsService {
  private readonly logger = new Logger(PaymentEventsService.name);

  constructor(private readonly temporal: TemporalClient, @InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Called once the payment is committed. Starts `payment-received-<paymentId>` when the company has an active
   * `payment-received` definition; a second call for the same payment starts nothing (the id is taken). A failure
   * to reach Temporal is logged, never turned into an error of the payment, which is already recorded.
   */
  async onPaymentRecorded(payment: { id: string; companyId: string }): Promise<{ workflowId: string } | null> {
    const [wanted] = await this.dataSource.query(
      `SELECT 1 FROM workflow_definitions d JOIN companies c ON c.id = d.company_id
        WHERE d.company_id = $1 AND d.template_key = 'payment-received' AND d.status = 'active' AND c.plan = 'advanced' LIMIT 1`,
      [payment.companyId],
    );
    if (!wanted) return null;
    const workflowId = workflowIds.paymentReceived(payment.id);
    try {
      await this.temporal.workflow.start(paymentReceived, {
        taskQueue: this.temporal.taskQueueName,
        workflowId,
        // One automation per payment, ever: a retried request after the first run completed starts nothing.
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
        args: [{ paymentId: payment.id, companyId: payment.companyId }],
        typedSearchAttributes: [{ key: searchAttributes.companyId, value: payment.companyId }],
        staticSummary: `Payment ${payment.id} received: notify per the payment-received workflows`,
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) {
        this.logger.error(`could not start ${workflowId}: ${(err as Error).message}`);
        return null;
      }
    }
    return { workflowId };
  }
}

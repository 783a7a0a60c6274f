import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { TemporalClient } from '../temporal/temporal.module';
import type { RecordedPayment } from '../../db/payments.repository';
import { dispatchPaymentRecorded } from '../../infra/payment-events';

/** Starts the `payment-received` automation when a payment is recorded (`POST /v1/payments`). */
@Injectable()
export class PaymentEventsService {
  private readonly logger = new Logger(PaymentEventsService.name);

  constructor(private readonly temporal: TemporalClient, @InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Called once the payment is committed. A failure to reach Temporal is logged, never turned into an error of the
   * payment, which is already recorded: the payment stays undispatched and a worker dispatches it shortly.
   */
  async onPaymentRecorded(payment: RecordedPayment): Promise<{ workflowId: string } | null> {
    try {
      return await dispatchPaymentRecorded(this.temporal, this.temporal.taskQueueName, this.dataSource, payment);
    } catch (err) {
      this.logger.error(`payment ${payment.id}: automations not dispatched yet, a worker will retry: ${(err as Error).message}`);
      return null;
    }
  }
}

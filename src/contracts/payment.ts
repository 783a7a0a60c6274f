// What the payment-received workflow and the code that starts it agree on.
import type { ReminderSweepResult } from './sweep';

export interface PaymentReceivedInput {
  paymentId: string;
  companyId: string;
}

export interface PaymentReceivedResult {
  runs: Array<{ definitionId: string } & Pick<ReminderSweepResult, 'runRecordId' | 'outcome' | 'delivered' | 'skipped' | 'failed'>>;
}

export type PaymentReceivedWorkflow = (input: PaymentReceivedInput) => Promise<PaymentReceivedResult>;

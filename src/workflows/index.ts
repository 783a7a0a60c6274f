// Every workflow the worker registers.
export { diagnosticRoundtrip } from './diagnostic-roundtrip.workflow';
export { documentApproval, invoiceApproval } from './invoice-approval.workflow';
export { paymentReceived } from './payment-received.workflow';
export { reminderDeferredDeliveries, reminderSweep } from './reminder-sweep.workflow';
export { webhookDelivery } from './webhook-delivery.workflow';

import {
  type DeferredDeliveriesWorkflow, type DiagnosticRoundtripWorkflow, type InvoiceApprovalWorkflow, type PaymentReceivedWorkflow, type ReminderSweepWorkflow, workflowTypes,
} from '../../src/contracts';
import * as workflows from '../../src/workflows';

// The API starts workflows by their contract's type name and signature, never by importing their code: these keep both
// honest (a renamed workflow or a changed input fails here, or fails to type-check).
const implementations: {
  diagnosticRoundtrip: DiagnosticRoundtripWorkflow;
  invoiceApproval: InvoiceApprovalWorkflow;
  paymentReceived: PaymentReceivedWorkflow;
  reminderSweep: ReminderSweepWorkflow;
  reminderDeferredDeliveries: DeferredDeliveriesWorkflow;
} = workflows;

describe('workflow contracts', () => {
  it('names every workflow the worker registers, and nothing else', () => {
    expect(Object.keys(workflows).sort()).toEqual(Object.values(workflowTypes).sort());
    for (const [key, type] of Object.entries(workflowTypes)) expect(implementations[key as keyof typeof implementations].name).toBe(type);
  });
});

import {
  type DeferredDeliveriesWorkflow, type DiagnosticRoundtripWorkflow, type InvoiceApprovalWorkflow, type PaymentReceivedWorkflow, type ReminderSweepWorkflow, workflowTypes,
} from '../../src/contracts';
import * as workflows from '../../src/workflows';

// The API starts workflows by their contract's type name and signature, never by importing their code: these keep both
// honest (a renamed workflow or a changed input fails here, or fails to type-check).
const implementations: {
  diagnosticRoundtrip: DiagnosticRoundtripWorkflow;
  documentApproval: InvoiceApprovalWorkflow;
  invoiceApproval: InvoiceApprovalWorkflow;
  paymentReceived: PaymentReceivedWorkflow;
  reminderSweep: ReminderSweepWorkflow;
  reminderDeferredDeliveries: DeferredDeliveriesWorkflow;
} = workflows;

describe('workflow contracts', () => {
  it('names every workflow the worker registers, and nothing else', () => {
    expect(Object.keys(workflows).sort()).toEqual(Object.values(workflowTypes).sort());
    const renamed: Partial<Record<keyof typeof implementations, keyof typeof implementations>> = { invoiceApproval: 'documentApproval' };
    for (const [key, type] of Object.entries(workflowTypes)) {
      const own = key as keyof typeof implementations;
      // A type kept for the runs started under it is the same function as the one that replaced it.
      const was = renamed[own];
      if (was) expect(implementations[own]).toBe(implementations[was]);
      else expect(implementations[own].name).toBe(type);
    }
  });
});

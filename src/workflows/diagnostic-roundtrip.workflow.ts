import { proxyActivities } from '@temporalio/workflow';
import type { DiagnosticRoundtripInput, DiagnosticRoundtripOutput, DiagnosticsActivities } from '../contracts';

const { recordDiagnosticPing } = proxyActivities<DiagnosticsActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { maximumAttempts: 5, initialInterval: '200 milliseconds' },
});

/** Writes one row through an activity: proves API → Temporal → worker → Postgres end to end. */
export async function diagnosticRoundtrip(input: DiagnosticRoundtripInput): Promise<DiagnosticRoundtripOutput> {
  return recordDiagnosticPing({ pingId: input.pingId });
}

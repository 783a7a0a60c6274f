import { proxyActivities } from '@temporalio/workflow';
import type { createActivities } from '../activities';

const { recordDiagnosticPing } = proxyActivities<ReturnType<typeof createActivities>>({
  startToCloseTimeout: '10 seconds',
  retry: { maximumAttempts: 5, initialInterval: '200 milliseconds' },
});

export interface DiagnosticRoundtripInput {
  pingId: string;
}

export interface DiagnosticRoundtripOutput {
  pingId: string;
  workerIdentity: string;
  recordedAt: string;
}

/** Writes one row through an activity: proves API → Temporal → worker → Postgres end to end. */
export async function diagnosticRoundtrip(input: DiagnosticRoundtripInput): Promise<DiagnosticRoundtripOutput> {
  return recordDiagnosticPing({ pingId: input.pingId });
}

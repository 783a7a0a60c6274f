// The diagnostic round trip: API → Temporal → worker → Postgres and back.

export interface DiagnosticRoundtripInput {
  pingId: string;
}

export interface DiagnosticRoundtripOutput {
  pingId: string;
  workerIdentity: string;
  recordedAt: string;
}

export type DiagnosticRoundtripWorkflow = (input: DiagnosticRoundtripInput) => Promise<DiagnosticRoundtripOutput>;

export interface DiagnosticsActivities {
  /** Writes the ping's row (idempotent: the ping id is the key) and reads it back. */
  recordDiagnosticPing(input: { pingId: string }): Promise<DiagnosticRoundtripOutput>;
}

import { Context } from '@temporalio/activity';
import type { DataSource } from 'typeorm';
import type { DiagnosticsActivities } from '../contracts';
import { DiagnosticsRepository } from '../db/diagnostics.repository';

export function createDiagnosticsActivities(dataSource: DataSource): DiagnosticsActivities {
  const diagnostics = new DiagnosticsRepository(dataSource);
  return {
    async recordDiagnosticPing(input: { pingId: string }) {
      const { info } = Context.current();
      const row = await diagnostics.recordPing({
        id: input.pingId, workflowId: info.workflowExecution?.workflowId ?? 'unknown', workerIdentity: process.env.HOSTNAME ?? `pid-${process.pid}`,
      });
      return { pingId: row.id, workerIdentity: row.workerIdentity, recordedAt: row.recordedAt.toISOString() };
    },
  };
}

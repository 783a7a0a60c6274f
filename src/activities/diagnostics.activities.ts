import { Context } from '@temporalio/activity';
import type { DataSource } from 'typeorm';
import type { DiagnosticsActivities } from '../contracts';
import { DiagnosticPing } from '../db/entities';

export function createDiagnosticsActivities(dataSource: DataSource): DiagnosticsActivities {
  return {
    async recordDiagnosticPing(input: { pingId: string }) {
      const { info } = Context.current();
      const repo = dataSource.getRepository(DiagnosticPing);
      // Idempotent on retry: the ping id is the primary key.
      await repo.upsert(
        { id: input.pingId, workflowId: info.workflowExecution?.workflowId ?? 'unknown', workerIdentity: process.env.HOSTNAME ?? `pid-${process.pid}` },
        ['id'],
      );
      const row = await repo.findOneByOrFail({ id: input.pingId });
      return { pingId: row.id, workerIdentity: row.workerIdentity, recordedAt: row.recordedAt.toISOString() };
    },
  };
}

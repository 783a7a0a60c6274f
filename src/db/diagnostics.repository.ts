import type { DataSource } from 'typeorm';
import { DiagnosticPing } from './entities';

/** The pings of the diagnostics workflow, which prove that a worker reaches the database. */
export class DiagnosticsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Idempotent on retry: the ping id is the primary key. Returns the stored ping (the first recording of it). */
  async recordPing(ping: Pick<DiagnosticPing, 'id' | 'workflowId' | 'workerIdentity'>): Promise<DiagnosticPing> {
    const repo = this.dataSource.getRepository(DiagnosticPing);
    await repo.upsert(ping, ['id']);
    return repo.findOneByOrFail({ id: ping.id });
  }

  /** The recorded ping; throws when it was never recorded. */
  findPing(id: string): Promise<DiagnosticPing> {
    return this.dataSource.getRepository(DiagnosticPing).findOneByOrFail({ id });
  }
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { DiagnosticsRepository } from '../../db/diagnostics.repository';
import { type DiagnosticRoundtripWorkflow, workflowIds, workflowTypes } from '../../contracts';
import { DomainError } from '../../domain/errors';
import { TemporalClient } from '../temporal/temporal.module';

export interface RoundtripView {
  pingId: string;
  workflowId: string;
  runId: string;
  workerIdentity: string;
  recordedAt: string;
  roundtripMs: number;
}

@Injectable()
export class DiagnosticsService {
  constructor(
    private readonly temporal: TemporalClient,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async roundtrip(timeoutMs = 15000): Promise<RoundtripView> {
    const started = Date.now();
    const pingId = randomUUID();
    const handle = await this.temporal.workflow.start<DiagnosticRoundtripWorkflow>(workflowTypes.diagnosticRoundtrip, {
      taskQueue: this.temporal.taskQueueName,
      workflowId: workflowIds.diagnosticRoundtrip(pingId),
      args: [{ pingId }],
      workflowExecutionTimeout: `${timeoutMs} milliseconds`,
      staticSummary: 'Diagnostic round trip: API → Temporal → worker → Postgres',
    });
    try {
      await handle.result();
    } catch {
      throw new DomainError(503, `no worker completed the diagnostic workflow ${handle.workflowId} within ${timeoutMs} ms`);
    }
    const row = await new DiagnosticsRepository(this.dataSource).findPing(pingId);
    return {
      pingId,
      workflowId: handle.workflowId,
      runId: handle.firstExecutionRunId,
      workerIdentity: row.workerIdentity,
      recordedAt: row.recordedAt.toISOString(),
      roundtripMs: Date.now() - started,
    };
  }
}

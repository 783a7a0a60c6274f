import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** Written by the diagnostic round-trip workflow: proof that API → Temporal → worker → Postgres works. */
@Entity('diagnostic_pings')
export class DiagnosticPing {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('text', { name: 'workflow_id' })
  workflowId!: string;

  @Column('text', { name: 'worker_identity' })
  workerIdentity!: string;

  @CreateDateColumn({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt!: Date;
}

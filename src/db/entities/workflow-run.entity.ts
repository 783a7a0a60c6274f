import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('workflow_runs')
export class WorkflowRun {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'company_id' }) companyId!: string;
  @Column('uuid', { name: 'definition_id', nullable: true }) definitionId!: string | null;
  @Column('text') kind!: 'sweep' | 'event' | 'approval';
  @Column('text') trigger!: string;
  @Column('text', { name: 'temporal_workflow_id' }) temporalWorkflowId!: string;
  @Column('text', { name: 'temporal_run_id' }) temporalRunId!: string;
  @Column('text') status!: 'running' | 'completed' | 'failed';
  @Column('timestamptz', { name: 'started_at' }) startedAt!: Date;
  @Column('timestamptz', { name: 'ended_at', nullable: true }) endedAt!: Date | null;
  @Column('integer') matched!: number;
  @Column('integer') delivered!: number;
  @Column('integer') skipped!: number;
  @Column('integer') failed!: number;
  /** Deliveries waiting for the send window while the run is in flight; 0 once they went. */
  @Column('integer', { default: 0 }) deferred!: number;
  /** Counts of the deliveries that waited for the send window, per workflow that delivered them (migration DeferredParts). */
  @Column('jsonb', { name: 'deferred_parts', default: {} }) deferredParts!: Record<string, unknown>;
  @Column('jsonb') errors!: { recordId?: string; message: string }[];
}

export const DELIVERY_CHANNELS = ['email', 'push', 'webhook', 'task', 'memo', 'stamp', 'send'] as const;
export type DeliveryChannel = (typeof DELIVERY_CHANNELS)[number];

/** One side effect of a workflow; `deliveryKey` is unique, which is what makes delivery at-most-once. */
@Entity('deliveries')
export class Delivery {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'company_id' }) companyId!: string;
  @Column('uuid', { name: 'definition_id', nullable: true }) definitionId!: string | null;
  @Column('uuid', { name: 'run_id', nullable: true }) runId!: string | null;
  @Column('text', { name: 'record_type' }) recordType!: string;
  @Column('uuid', { name: 'record_id' }) recordId!: string;
  @Column('text') occurrence!: string;
  @Column('text') channel!: DeliveryChannel;
  @Column('text') recipient!: string;
  @Column('text') status!: 'pending' | 'sent' | 'failed' | 'skipped';
  @Column('text', { nullable: true }) error!: string | null;
  /** Why the plan skipped it (`skipped` only). */
  @Column('text', { name: 'skip_reason', nullable: true }) skipReason!: string | null;
  @Column('integer') attempts!: number;
  @Column('text', { name: 'delivery_key' }) deliveryKey!: string;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
  @Column('timestamptz', { name: 'sent_at', nullable: true }) sentAt!: Date | null;
}

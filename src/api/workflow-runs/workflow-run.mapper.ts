import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import type { DeliveryRow, WorkflowRunRow } from '../../db/workflow-runs.repository';
import { SKIP_REASONS } from '../../domain/delivery-planner';
import { dateTime, integer, nullable, text, uuid } from '../common/api-docs';

class RunErrorView {
  @ApiProperty({ ...uuid, required: false }) recordId?: string;
  @ApiProperty(text) message!: string;
}

@ApiSchema({ name: 'WorkflowRun' })
export class WorkflowRunView {
  @ApiProperty(uuid) id!: string;
  @ApiProperty({ ...nullable(uuid), description: 'The workflow definition; null once it is deleted' }) workflowId!: string | null;
  @ApiProperty({ ...text, example: 'sweep' }) kind!: string;
  @ApiProperty({ ...text, example: 'schedule' }) trigger!: string;
  @ApiProperty({ enum: ['running', 'completed', 'failed'] }) status!: WorkflowRunRow['status'];
  @ApiProperty({ enum: ['running', 'succeeded', 'completed_with_errors', 'failed'] }) outcome!: string;
  @ApiProperty(dateTime) startedAt!: string;
  @ApiProperty(nullable(dateTime)) endedAt!: string | null;
  @ApiProperty(integer) matched!: number;
  @ApiProperty(integer) delivered!: number;
  @ApiProperty(integer) skipped!: number;
  @ApiProperty(integer) failed!: number;
  @ApiProperty({ ...integer, description: "deliveries waiting for the send window's next opening right now" }) deferred!: number;
  @ApiProperty({ type: [RunErrorView] }) errors!: RunErrorView[];
  @ApiProperty(text) temporalWorkflowId!: string;
  @ApiProperty(text) temporalRunId!: string;
}

@ApiSchema({ name: 'Delivery' })
export class DeliveryView {
  @ApiProperty(uuid) id!: string;
  @ApiProperty({ ...text, example: 'invoice' }) recordType!: string;
  @ApiProperty(uuid) recordId!: string;
  @ApiProperty(text) occurrence!: string;
  @ApiProperty({ ...text, example: 'email' }) channel!: string;
  @ApiProperty(text) recipient!: string;
  @ApiProperty({ ...text, example: 'sent', description: 'pending, sent, failed, or skipped (not sent, see skipReason)' }) status!: string;
  @ApiProperty(nullable(text)) error!: string | null;
  @ApiProperty({
    ...nullable({ type: String, enum: [...SKIP_REASONS] }),
    description: 'Why a skipped delivery was not sent: suppressed (the address bounced or complained), opted_out, disputed, promised (a promise to pay, until its date plus 2 days), paused; null otherwise',
  }) skipReason!: string | null;
  @ApiProperty(integer) attempts!: number;
  @ApiProperty(dateTime) createdAt!: string;
  @ApiProperty(nullable(dateTime)) sentAt!: string | null;
}

@ApiSchema({ name: 'WorkflowRunWithDeliveries' })
export class WorkflowRunDetailView extends WorkflowRunView {
  @ApiProperty({ type: [DeliveryView], description: 'The first deliveries of the run' }) deliveries!: DeliveryView[];
  @ApiProperty({ type: Boolean, description: 'true when the run has more deliveries than listed' }) deliveriesTruncated!: boolean;
}

/** `succeeded`, `completed_with_errors` (some deliveries failed or are in doubt), `failed` (the run stopped), `running`. */
export function runOutcome(r: Pick<WorkflowRunRow, 'status' | 'failed' | 'errors'>): string {
  if (r.status === 'running') return 'running';
  if (r.status === 'failed') return 'failed';
  return r.failed > 0 || r.errors.length > 0 ? 'completed_with_errors' : 'succeeded';
}

export function toWorkflowRunView(r: WorkflowRunRow): WorkflowRunView {
  return {
    id: r.id,
    workflowId: r.definition_id,
    kind: r.kind,
    trigger: r.trigger,
    status: r.status,
    outcome: runOutcome(r),
    startedAt: new Date(r.started_at).toISOString(),
    endedAt: r.ended_at ? new Date(r.ended_at).toISOString() : null,
    matched: r.matched,
    delivered: r.delivered,
    skipped: r.skipped,
    failed: r.failed,
    /** Deliveries waiting for the send window right now. */
    deferred: r.deferred,
    errors: r.errors,
    temporalWorkflowId: r.temporal_workflow_id,
    temporalRunId: r.temporal_run_id,
  };
}

export function toDeliveryView(d: DeliveryRow): DeliveryView {
  return {
    id: d.id, recordType: d.record_type, recordId: d.record_id, occurrence: d.occurrence, channel: d.channel,
    recipient: d.recipient, status: d.status, error: d.error, skipReason: d.skip_reason, attempts: d.attempts,
    createdAt: new Date(d.created_at).toISOString(), sentAt: d.sent_at ? new Date(d.sent_at).toISOString() : null,
  };
}

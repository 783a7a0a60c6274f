import type { DeliveryRow, WorkflowRunRow } from '../../db/workflow-runs.repository';

/** `succeeded`, `completed_with_errors` (some deliveries failed or are in doubt), `failed` (the run stopped), `running`. */
export function runOutcome(r: Pick<WorkflowRunRow, 'status' | 'failed' | 'errors'>): string {
  if (r.status === 'running') return 'running';
  if (r.status === 'failed') return 'failed';
  return r.failed > 0 || r.errors.length > 0 ? 'completed_with_errors' : 'succeeded';
}

export function toWorkflowRunView(r: WorkflowRunRow) {
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

export function toDeliveryView(d: DeliveryRow) {
  return {
    id: d.id, recordType: d.record_type, recordId: d.record_id, occurrence: d.occurrence, channel: d.channel,
    recipient: d.recipient, status: d.status, error: d.error, attempts: d.attempts,
    createdAt: new Date(d.created_at).toISOString(), sentAt: d.sent_at ? new Date(d.sent_at).toISOString() : null,
  };
}

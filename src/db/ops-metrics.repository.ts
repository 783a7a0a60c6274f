import type { DataSource } from 'typeorm';

/** What the business gauges of /metrics show, counted across every company. */
export interface OpsCounts {
  /** Pending approvals by the step they wait on (1 for the first). */
  approvalsPending: { step: number; count: number }[];
  /**
   * Pending approvals in the last quarter of the time they were given (created to deadline), at most the window asked
   * for before their deadline, or past it.
   */
  approvalsNearDeadline: number;
  /** Deliveries by channel that failed, and those left in doubt (an attempt stopped between sending and recording). */
  deliveriesFailed: { channel: string; count: number }[];
  deliveriesInDoubt: { channel: string; count: number }[];
  /**
   * Active scheduled definitions (daily at their `time`) that started no sweep for 25 h, though unchanged for as long:
   * their Temporal Schedule is not firing.
   */
  schedulesOverdue: number;
  /** Webhook deliveries whose receiver failed and that wait for their next attempt, and the oldest one's age in seconds. */
  webhookDeliveriesRetrying: number;
  webhookOldestRetryingSeconds: number;
}

/** Counts for the operators' gauges: one round trip, read when Prometheus scrapes. */
export class OpsMetricsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async counts(nearDeadlineSeconds: number): Promise<OpsCounts> {
    const [row] = await this.dataSource.query(
      `SELECT
         (SELECT coalesce(json_agg(json_build_object('step', step, 'count', n)), '[]'::json)
            FROM (SELECT current_step + 1 AS step, count(*)::int AS n FROM approvals WHERE status = 'pending' GROUP BY 1) p) AS pending,
         (SELECT count(*)::int FROM approvals
           WHERE status = 'pending' AND deadline < now() + least(make_interval(secs => $1), (deadline - created_at) / 4)) AS near,
         (SELECT coalesce(json_agg(json_build_object('channel', channel, 'count', n)), '[]'::json)
            FROM (SELECT channel, count(*)::int AS n FROM deliveries WHERE status = 'failed' GROUP BY 1) f) AS failed,
         (SELECT coalesce(json_agg(json_build_object('channel', channel, 'count', n)), '[]'::json)
            FROM (SELECT channel, count(*)::int AS n FROM deliveries
                   WHERE status = 'pending' AND error LIKE 'in doubt%' GROUP BY 1) d) AS doubt,
         (SELECT count(*)::int FROM workflow_definitions d
           WHERE d.status = 'active' AND d.schedule IS NOT NULL AND d.updated_at < now() - interval '25 hours'
             AND NOT EXISTS (SELECT 1 FROM workflow_runs r WHERE r.company_id = d.company_id AND r.definition_id = d.id
                              AND r.kind = 'sweep' AND r.started_at > now() - interval '25 hours')) AS overdue,
         (SELECT count(*)::int FROM webhook_deliveries WHERE status = 'retrying') AS retrying,
         (SELECT coalesce(extract(epoch FROM now() - min(created_at)), 0)::float8 FROM webhook_deliveries WHERE status = 'retrying') AS oldest_retrying`,
      [nearDeadlineSeconds],
    ) as {
      pending: OpsCounts['approvalsPending']; near: number; failed: OpsCounts['deliveriesFailed']; doubt: OpsCounts['deliveriesInDoubt'];
      overdue: number; retrying: number; oldest_retrying: number;
    }[];
    return {
      approvalsPending: row.pending, approvalsNearDeadline: row.near, deliveriesFailed: row.failed, deliveriesInDoubt: row.doubt,
      schedulesOverdue: row.overdue, webhookDeliveriesRetrying: row.retrying, webhookOldestRetryingSeconds: row.oldest_retrying,
    };
  }
}

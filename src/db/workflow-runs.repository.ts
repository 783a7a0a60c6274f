import type { DataSource } from 'typeorm';
import { decodeCursor, encodeCursor } from './cursor';
import type { Page, PageRequest } from './pagination';

export interface WorkflowRunRow {
  id: string;
  definition_id: string | null;
  kind: string;
  trigger: string;
  status: 'running' | 'completed' | 'failed';
  started_at: Date;
  ended_at: Date | null;
  matched: number;
  delivered: number;
  skipped: number;
  failed: number;
  deferred: number;
  errors: { recordId?: string; message: string }[];
  temporal_workflow_id: string;
  temporal_run_id: string;
}

export interface DeliveryRow {
  id: string;
  record_type: string;
  record_id: string;
  occurrence: string;
  channel: string;
  recipient: string;
  status: string;
  error: string | null;
  skip_reason: string | null;
  attempts: number;
  created_at: Date;
  sent_at: Date | null;
}

const DELIVERY_COLUMNS = 'id, record_type, record_id, occurrence, channel, recipient, status, error, skip_reason, attempts, created_at, sent_at';

/** A run's figures: its own columns plus those of the workflows that delivered what waited for the send window. */
const RUN_COLUMNS = `r.id, r.definition_id, r.kind, r.trigger, r.status, r.started_at, r.ended_at, r.matched,
  r.delivered + p.delivered AS delivered, r.skipped + p.skipped AS skipped, r.failed + p.failed AS failed,
  r.deferred + p.deferred AS deferred, r.errors || p.errors AS errors, r.temporal_workflow_id, r.temporal_run_id`;
const RUN_PARTS = `CROSS JOIN LATERAL (
  SELECT COALESCE(sum((v->>'delivered')::int), 0)::int AS delivered, COALESCE(sum((v->>'skipped')::int), 0)::int AS skipped,
         COALESCE(sum((v->>'failed')::int), 0)::int AS failed, COALESCE(sum((v->>'deferred')::int), 0)::int AS deferred,
         COALESCE((SELECT jsonb_agg(e) FROM jsonb_each(r.deferred_parts) AS q(k, w), jsonb_array_elements(w->'errors') AS e), '[]') AS errors
    FROM jsonb_each(r.deferred_parts) AS part(k, v)) p`;

/** The run history: one row per run of a definition (sweeps, events, approvals), with its deliveries. */
export class WorkflowRunsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async definitionExists(companyId: string, definitionId: string): Promise<boolean> {
    const [def] = await this.dataSource.query('SELECT 1 FROM workflow_definitions WHERE id = $1 AND company_id = $2', [definitionId, companyId]);
    return Boolean(def);
  }

  /**
   * Newest first, optionally of one definition. The cursor keeps `started_at` as Postgres prints it (microseconds),
   * which a JavaScript Date would round.
   */
  async list(companyId: string, query: PageRequest & { definitionId?: string }): Promise<Page<WorkflowRunRow>> {
    const params: unknown[] = [companyId];
    const where = ['r.company_id = $1'];
    if (query.definitionId) {
      params.push(query.definitionId);
      where.push(`r.definition_id = $${params.length}`);
    }
    if (query.cursor) {
      const { key, id } = decodeCursor(query.cursor);
      params.push(key, id);
      where.push(`(r.started_at, r.id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    const limit = query.limit ?? 50;
    params.push(limit + 1);
    const rows: Array<WorkflowRunRow & { cursor_at: string }> = await this.dataSource.query(
      `SELECT ${RUN_COLUMNS}, r.started_at::text AS cursor_at FROM workflow_runs r ${RUN_PARTS}
        WHERE ${where.join(' AND ')} ORDER BY r.started_at DESC, r.id DESC LIMIT $${params.length}`,
      params,
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { data: page, nextCursor: rows.length > limit && last ? encodeCursor(last.cursor_at, last.id) : null };
  }

  async find(companyId: string, id: string): Promise<WorkflowRunRow | undefined> {
    const [run]: WorkflowRunRow[] = await this.dataSource.query(
      `SELECT ${RUN_COLUMNS} FROM workflow_runs r ${RUN_PARTS} WHERE r.id = $1 AND r.company_id = $2`, [id, companyId]);
    return run;
  }

  /** A page of the run's deliveries in the order they were made, of the given statuses (all when omitted). */
  async deliveriesPage(runId: string, query: PageRequest & { statuses?: string[] }): Promise<Page<DeliveryRow>> {
    const params: unknown[] = [runId];
    const where = ['run_id = $1'];
    if (query.statuses) {
      params.push(query.statuses);
      where.push(`status = ANY($${params.length}::text[])`);
    }
    if (query.cursor) {
      const { key, id } = decodeCursor(query.cursor);
      params.push(key, id);
      where.push(`(created_at, id) > ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    const limit = query.limit ?? 50;
    params.push(limit + 1);
    const rows: Array<DeliveryRow & { cursor_at: string }> = await this.dataSource.query(
      `SELECT ${DELIVERY_COLUMNS}, created_at::text AS cursor_at FROM deliveries
        WHERE ${where.join(' AND ')} ORDER BY created_at, id LIMIT $${params.length}`,
      params,
    );
    const page = rows.slice(0, limit).map(({ cursor_at: _, ...row }) => row);
    const last = rows[Math.min(rows.length, limit) - 1];
    return { data: page, nextCursor: rows.length > limit && last ? encodeCursor(last.cursor_at, last.id) : null };
  }

  /** The run's deliveries in the order they were made, at most `limit`. */
  async deliveriesOf(runId: string, limit: number): Promise<DeliveryRow[]> {
    return this.dataSource.query(
      `SELECT ${DELIVERY_COLUMNS} FROM deliveries WHERE run_id = $1 ORDER BY created_at, id LIMIT $2`,
      [runId, limit],
    );
  }
}

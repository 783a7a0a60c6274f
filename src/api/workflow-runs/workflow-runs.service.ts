import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuthUser } from '../auth/current-user.decorator';
import { Page } from '../common/pagination';
import { ListWorkflowRunsDto } from './list-workflow-runs.dto';
import { DeliveryRow, toDeliveryView, toWorkflowRunView, WorkflowRunRow } from './workflow-run.mapper';
import { isUuid } from '../../domain/ids';

const RUN_COLUMNS = `r.id, r.definition_id, r.kind, r.trigger, r.status, r.started_at, r.ended_at, r.matched, r.delivered,
  r.skipped, r.failed, r.errors, r.temporal_workflow_id, r.temporal_run_id`;
const MAX_DELIVERIES = 500;

// Newest first; the cursor keeps started_at as Postgres prints it (microseconds), which a JavaScript Date would round.
function encode(startedAt: string, id: string): string {
  return Buffer.from(JSON.stringify([startedAt, id])).toString('base64url');
}

function decode(cursor: string): [string, string] {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && typeof value[0] === 'string' && !Number.isNaN(Date.parse(value[0])) && isUuid(value[1])) {
      return [value[0], value[1]];
    }
  } catch {
    /* reported below */
  }
  throw new BadRequestException('cursor is not valid: pass the nextCursor of a previous page unchanged');
}

@Injectable()
export class WorkflowRunsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async list(user: AuthUser, query: ListWorkflowRunsDto): Promise<Page<ReturnType<typeof toWorkflowRunView>>> {
    const params: unknown[] = [user.companyId];
    const where = ['r.company_id = $1'];
    if (query.workflowId) {
      const [def] = await this.dataSource.query('SELECT 1 FROM workflow_definitions WHERE id = $1 AND company_id = $2', [query.workflowId, user.companyId]);
      if (!def) throw new NotFoundException(`workflow ${query.workflowId} not found`);
      params.push(query.workflowId);
      where.push(`r.definition_id = $${params.length}`);
    }
    if (query.cursor) {
      const [at, id] = decode(query.cursor);
      params.push(at, id);
      where.push(`(r.started_at, r.id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    const limit = query.limit ?? 50;
    params.push(limit + 1);
    const rows: Array<WorkflowRunRow & { cursor_at: string }> = await this.dataSource.query(
      `SELECT ${RUN_COLUMNS}, r.started_at::text AS cursor_at FROM workflow_runs r
        WHERE ${where.join(' AND ')} ORDER BY r.started_at DESC, r.id DESC LIMIT $${params.length}`,
      params,
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { data: page.map(toWorkflowRunView), nextCursor: rows.length > limit && last ? encode(last.cursor_at, last.id) : null };
  }

  async get(user: AuthUser, id: string) {
    const [run]: WorkflowRunRow[] = await this.dataSource.query(
      `SELECT ${RUN_COLUMNS} FROM workflow_runs r WHERE r.id = $1 AND r.company_id = $2`, [id, user.companyId]);
    if (!run) throw new NotFoundException(`workflow run ${id} not found`);
    const deliveries: DeliveryRow[] = await this.dataSource.query(
      `SELECT id, record_type, record_id, occurrence, channel, recipient, status, error, attempts, created_at, sent_at
         FROM deliveries WHERE run_id = $1 ORDER BY created_at, id LIMIT $2`,
      [id, MAX_DELIVERIES + 1],
    );
    return {
      ...toWorkflowRunView(run),
      deliveries: deliveries.slice(0, MAX_DELIVERIES).map(toDeliveryView),
      deliveriesTruncated: deliveries.length > MAX_DELIVERIES,
    };
  }
}

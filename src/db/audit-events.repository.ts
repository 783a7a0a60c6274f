import type { EntityManager } from 'typeorm';
import { type AuditEventType, auditDataProblem, auditTargetType } from '../domain/audit';
import { decodeCursor, encodeCursor } from './cursor';
import { type Db, managerOf } from './owned';
import type { Page, PageRequest } from './pagination';

/** One entry as the caller's transaction writes it. */
export interface NewAuditEvent {
  companyId: string;
  type: AuditEventType;
  /** Null when nobody signed in did it. */
  actorId: string | null;
  apiKeyId: string | null;
  clientAddress: string | null;
  targetId: string | null;
  data: Record<string, unknown>;
}

export interface AuditEventRow {
  id: string;
  type: AuditEventType;
  actor_id: string | null;
  /** The actor's name today (users are never deleted, so it is there for every actor). */
  actor_name: string | null;
  api_key_id: string | null;
  client_address: string | null;
  target_type: string;
  target_id: string | null;
  data: Record<string, unknown>;
  created_at: Date;
}

/** Which entries of a company a page shows (each absent filter lets every entry through); `from` inclusive, `to` exclusive. */
export interface AuditEventFilter {
  actorId?: string;
  types?: AuditEventType[];
  from?: Date;
  to?: Date;
}

/**
 * Writes one entry with the manager of the transaction that makes the change, so that the two commit or roll back
 * together. The table refuses updates and deletes: there is no other statement that writes it.
 */
export async function record(manager: EntityManager, event: NewAuditEvent): Promise<void> {
  if (!manager.queryRunner?.isTransactionActive) throw new Error(`${event.type}: an audit entry is written in the transaction of its change`);
  const problem = auditDataProblem(event.data);
  if (problem) throw new Error(`${event.type}: ${problem}`);
  await manager.query(
    `INSERT INTO audit_events (company_id, type, actor_id, api_key_id, client_address, target_type, target_id, data)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [event.companyId, event.type, event.actorId, event.apiKeyId, event.clientAddress, auditTargetType(event.type), event.targetId,
      JSON.stringify(event.data)],
  );
}

/** The audit trail of a company, read. */
export class AuditEventsRepository {
  constructor(private readonly db: Db) {}

  /**
   * Newest first. The cursor keeps `created_at` as Postgres prints it (microseconds), which a JavaScript Date would
   * round (and entries of one transaction are microseconds apart).
   */
  async findPage(companyId: string, filter: AuditEventFilter, page: PageRequest): Promise<Page<AuditEventRow>> {
    const params: unknown[] = [companyId];
    const where = ['a.company_id = $1'];
    const param = (value: unknown, type: string) => {
      params.push(value);
      return `$${params.length}::${type}`;
    };
    if (filter.actorId) where.push(`a.actor_id = ${param(filter.actorId, 'uuid')}`);
    if (filter.types) where.push(`a.type = ANY(${param(filter.types, 'text[]')})`);
    if (filter.from) where.push(`a.created_at >= ${param(filter.from, 'timestamptz')}`);
    if (filter.to) where.push(`a.created_at < ${param(filter.to, 'timestamptz')}`);
    if (page.cursor) {
      const { key, id } = decodeCursor(page.cursor);
      where.push(`(a.created_at, a.id) < (${param(key, 'timestamptz')}, ${param(id, 'uuid')})`);
    }
    const limit = page.limit ?? 50;
    const rows: Array<AuditEventRow & { cursor_at: string }> = await managerOf(this.db).query(
      `SELECT a.id, a.type, a.actor_id, u.name AS actor_name, a.api_key_id, a.client_address, a.target_type, a.target_id, a.data,
              a.created_at, a.created_at::text AS cursor_at
         FROM audit_events a LEFT JOIN users u ON u.id = a.actor_id
        WHERE ${where.join(' AND ')} ORDER BY a.created_at DESC, a.id DESC LIMIT ${param(limit + 1, 'int')}`,
      params,
    );
    const data = rows.slice(0, limit);
    const last = data[data.length - 1];
    return {
      data: data.map(({ cursor_at: _, ...row }) => row),
      nextCursor: rows.length > limit && last ? encodeCursor(last.cursor_at, last.id) : null,
    };
  }
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditEventsRepository } from '../../db/audit-events.repository';
import { mapPage, type Page } from '../../db/pagination';
import { AUDIT_EVENT_TYPE_NAMES, isAuditEventType } from '../../domain/audit';
import { DomainError } from '../../domain/errors';
import type { AuthUser } from '../auth/current-user.decorator';
import { splitList } from '../common/pagination';
import { parseInstant } from '../common/query-filters';
import { type AuditEventView, toAuditEventView } from './audit-event.view';
import type { ListAuditEventsDto } from './list-audit-events.dto';

/** Reads the audit trail; services write it with `audit.record` (audit-trail.ts) in their own transactions. */
@Injectable()
export class AuditService {
  private readonly events: AuditEventsRepository;

  constructor(@InjectDataSource() dataSource: DataSource) {
    this.events = new AuditEventsRepository(dataSource);
  }

  async list(caller: AuthUser, query: ListAuditEventsDto): Promise<Page<AuditEventView>> {
    const types = splitList(query.type);
    if (types) {
      const unknown = types.find((t) => !isAuditEventType(t));
      if (unknown !== undefined) throw new DomainError(400, `type "${unknown}" is not an audit event type; expected one of ${AUDIT_EVENT_TYPE_NAMES.join(', ')}`);
      if (types.length === 0) throw new DomainError(400, 'type names no type; expected a comma-separated list of audit event types');
    }
    const from = instant(query.from, 'from');
    const to = instant(query.to, 'to');
    if (from && to && from > to) throw new DomainError(400, `from (${query.from}) must not be after to (${query.to})`);
    const filter = { actorId: query.actorId, types: types?.filter(isAuditEventType), from, to };
    return mapPage(await this.events.findPage(caller.companyId, filter, query), toAuditEventView);
  }
}

/** A bound of the time filter; years Postgres or JavaScript read differently (0, 10000+) are refused by name. */
function instant(value: string | undefined, field: string): Date | undefined {
  const date = parseInstant(value, field);
  if (date && (date.getUTCFullYear() < 1 || date.getUTCFullYear() > 9999)) {
    throw new DomainError(400, `${field} must be a date-time between the years 1 and 9999, got "${value}"`);
  }
  return date;
}

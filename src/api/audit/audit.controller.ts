import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '../auth/admin-only.decorator';
import { AuthUser, CurrentUser } from '../auth/current-user.decorator';
import { ApiAuthenticated, ApiErrors, PageOf } from '../common/api-docs';
import { AuditEventView } from './audit-event.view';
import { AuditService } from './audit.service';
import { ListAuditEventsDto } from './list-audit-events.dto';

const example: AuditEventView = {
  id: '7e8f9a0b-1c2d-4e3f-8a4b-5c6d7e8f9a0b', type: 'workflow.activated', actorId: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', actorName: 'Ada Admin',
  apiKeyId: '1d2e3f4a-5b6c-4d7e-8f9a-0b1c2d3e4f5a', clientAddress: '203.0.113.7', targetType: 'workflow',
  targetId: 'c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f', data: { status: { old: 'draft', new: 'active' } }, createdAt: '2026-11-28T12:00:00.000Z',
};

/** Read-only: no route changes or deletes an entry, and the table refuses it. */
@ApiTags('audit')
@ApiAuthenticated()
@Controller('v1/audit-events')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @AdminOnly()
  @ApiOperation({
    summary: 'The company\'s audit trail, newest first: who did what and when, with the API key and client address used. '
      + 'Filters: actorId, type (comma-separated), from (inclusive), to (exclusive). Admins only.',
  })
  @ApiOkResponse({ type: PageOf(AuditEventView), example: { data: [example], nextCursor: null } })
  @ApiErrors({ 400: 'from must be an ISO 8601 date-time such as "2026-12-01T00:00:00Z"' })
  list(@CurrentUser() caller: AuthUser, @Query() query: ListAuditEventsDto) {
    return this.audit.list(caller, query);
  }
}

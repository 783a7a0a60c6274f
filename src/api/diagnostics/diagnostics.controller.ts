import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '../auth/admin-only.decorator';
import { Public } from '../auth/public.decorator';
import { DiagnosticsService } from './diagnostics.service';
import { Idempotent } from '../common/idempotency.interceptor';

@ApiTags('operations')
@Controller('v1/diagnostics')
export class DiagnosticsController {
  constructor(private readonly diagnostics: DiagnosticsService) {}

  @Get('ping')
  @Public()
  @ApiOperation({ summary: 'Answers without touching the database or Temporal: the baseline of the API benchmark' })
  @ApiOkResponse({ schema: { example: { ok: true } } })
  ping(): { ok: true } {
    return { ok: true };
  }

  @Post('roundtrip')
  @Idempotent()
  @HttpCode(200)
  @AdminOnly()
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Runs a workflow whose activity writes to Postgres, and reads the row back (admins: it writes a row per call)' })
  @ApiOkResponse({ schema: { example: { pingId: 'c0a8…', workflowId: 'diagnostic-roundtrip-c0a8…', runId: '…', workerIdentity: 'pid-42', recordedAt: '2026-11-28T12:00:00.000Z', roundtripMs: 85 } } })
  @ApiServiceUnavailableResponse({ description: 'No worker completed the workflow in time' })
  roundtrip() {
    return this.diagnostics.roundtrip();
  }
}

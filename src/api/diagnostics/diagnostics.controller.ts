import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiSchema, ApiTags } from '@nestjs/swagger';
import { ApiErrors, dateTime, integer, text, uuid } from '../common/api-docs';
import { AdminOnly } from '../auth/admin-only.decorator';
import { Public } from '../auth/public.decorator';
import { DiagnosticsService } from './diagnostics.service';
import { Idempotent } from '../common/idempotency.interceptor';

@ApiSchema({ name: 'Ping' })
class PingView {
  @ApiProperty({ type: Boolean, enum: [true] }) ok!: true;
}

@ApiSchema({ name: 'Roundtrip' })
class RoundtripView {
  @ApiProperty(uuid) pingId!: string;
  @ApiProperty({ ...text, example: 'diagnostic-roundtrip-5c9d2e7f-1a3b-4c8d-9e0f-6a7b8c9d0e12' }) workflowId!: string;
  @ApiProperty(text) runId!: string;
  @ApiProperty({ ...text, example: 'pid-42' }) workerIdentity!: string;
  @ApiProperty(dateTime) recordedAt!: string;
  @ApiProperty({ ...integer, example: 85 }) roundtripMs!: number;
}

@ApiTags('operations')
@Controller('v1/diagnostics')
export class DiagnosticsController {
  constructor(private readonly diagnostics: DiagnosticsService) {}

  @Get('ping')
  @Public()
  @ApiOperation({ summary: 'Answers without touching the database or Temporal: the baseline of the API benchmark' })
  @ApiOkResponse({ type: PingView, example: { ok: true } })
  ping(): { ok: true } {
    return { ok: true };
  }

  @Post('roundtrip')
  @Idempotent()
  @HttpCode(200)
  @AdminOnly()
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Runs a workflow whose activity writes to Postgres, and reads the row back (admins: it writes a row per call)' })
  @ApiOkResponse({ type: RoundtripView })
  @ApiErrors({ 503: 'no worker completed the diagnostic workflow in time' })
  roundtrip(): Promise<RoundtripView> {
    return this.diagnostics.roundtrip();
  }
}

import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOperation, ApiProperty, ApiSchema, ApiTags } from '@nestjs/swagger';
import { ApiAuthenticated, ApiErrors, text, uuid } from '../common/api-docs';
import { AdminOnly } from '../auth/admin-only.decorator';
import { AuthUser, CurrentUser } from '../auth/current-user.decorator';
import { IdPipe } from '../common/id-param.pipe';
import { RemindersService } from './reminders.service';
import { Idempotent } from '../common/idempotency.interceptor';

@ApiSchema({ name: 'RunStarted' })
class RunStartedView {
  @ApiProperty(uuid) definitionId!: string;
  @ApiProperty({ ...text, example: 'reminder-sweep-c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f-run-now-2026-11-28T12:00:00.000Z' }) temporalWorkflowId!: string;
  @ApiProperty(text) temporalRunId!: string;
}

@ApiTags('workflows')
@ApiAuthenticated()
@Controller('v1/workflows')
export class RemindersController {
  constructor(private readonly reminders: RemindersService) {}

  @Post(':id/run-now')
  @Idempotent()
  @HttpCode(202)
  @AdminOnly()
  @ApiOperation({
    summary: 'Runs an active scheduled workflow now, outside its schedule',
    description: 'Starts a sweep like a firing of the schedule. Runs may overlap: each record still gets each reminder at most once. ' +
      'Follow it in GET /v1/workflow-runs?workflowId=<id>.',
  })
  @ApiAcceptedResponse({ type: RunStartedView })
  @ApiErrors({ 404: 'workflow c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f not found', 409: 'workflow c1d2… is not active' })
  runNow(@CurrentUser() user: AuthUser, @Param('id', IdPipe) id: string): Promise<RunStartedView> {
    return this.reminders.runNow(user, id);
  }
}

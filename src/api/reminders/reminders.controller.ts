import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiAcceptedResponse, ApiBearerAuth, ApiConflictResponse, ApiNotFoundResponse, ApiOperation, ApiTags,
} from '@nestjs/swagger';
import { AdminOnly } from '../auth/admin-only.decorator';
import { AuthUser, CurrentUser } from '../auth/current-user.decorator';
import { IdPipe } from '../common/id-param.pipe';
import { RemindersService } from './reminders.service';
import { Idempotent } from '../common/idempotency.interceptor';

@ApiTags('workflows')
@ApiBearerAuth()
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
  @ApiAcceptedResponse({ schema: { example: { definitionId: '…', temporalWorkflowId: 'reminder-sweep-…-run-now-2026-11-28T12:00:00.000Z', temporalRunId: '…' } } })
  @ApiNotFoundResponse({ description: 'No such workflow in the caller\'s company' })
  @ApiConflictResponse({ description: 'The workflow is not active, or is not a scheduled reminder' })
  runNow(@CurrentUser() user: AuthUser, @Param('id', IdPipe) id: string) {
    return this.reminders.runNow(user, id);
  }
}

import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '../auth/current-user.decorator';
import { IdPipe } from '../common/id-param.pipe';
import { ListWorkflowRunsDto } from './list-workflow-runs.dto';
import { WorkflowRunsService } from './workflow-runs.service';

const runExample = {
  id: '…', workflowId: '…', kind: 'sweep', trigger: 'schedule', status: 'completed', outcome: 'succeeded',
  startedAt: '2026-11-28T14:00:00.120Z', endedAt: '2026-11-28T14:00:03.480Z', matched: 12, delivered: 12, skipped: 0, failed: 0,
  errors: [], temporalWorkflowId: 'reminder-sweep-…-2026-11-28T14:00:00Z', temporalRunId: '…',
};

@ApiTags('workflow runs')
@ApiBearerAuth()
@Controller('v1/workflow-runs')
export class WorkflowRunsController {
  constructor(private readonly runs: WorkflowRunsService) {}

  @Get()
  @ApiOperation({ summary: 'Runs of the company\'s workflows, newest first; `workflowId` narrows to one definition' })
  @ApiOkResponse({ schema: { example: { data: [runExample], nextCursor: null } } })
  @ApiNotFoundResponse({ description: 'workflowId names no workflow of the caller\'s company' })
  list(@CurrentUser() user: AuthUser, @Query() query: ListWorkflowRunsDto) {
    return this.runs.list(user, query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One run with its deliveries (each email, push, webhook, task or memo change, with its status and error)' })
  @ApiOkResponse({ schema: { example: { ...runExample, deliveries: [], deliveriesTruncated: false } } })
  @ApiNotFoundResponse({ description: 'No such run in the caller\'s company' })
  get(@CurrentUser() user: AuthUser, @Param('id', IdPipe) id: string) {
    return this.runs.get(user, id);
  }
}

import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiAuthenticated, ApiErrors, PageOf } from '../common/api-docs';
import { AuthUser, CurrentUser } from '../auth/current-user.decorator';
import { IdPipe } from '../common/id-param.pipe';
import { ListRunDeliveriesDto, ListWorkflowRunsDto } from './list-workflow-runs.dto';
import { DeliveryView, WorkflowRunDetailView, WorkflowRunView } from './workflow-run.mapper';
import { WorkflowRunsService } from './workflow-runs.service';

const runExample = {
  id: '3a4b5c6d-7e8f-4a9b-8c0d-1e2f3a4b5c6d', workflowId: 'c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f', kind: 'sweep', trigger: 'schedule', status: 'completed', outcome: 'succeeded',
  startedAt: '2026-11-28T14:00:00.120Z', endedAt: '2026-11-28T14:00:03.480Z', matched: 12, delivered: 12, skipped: 0, failed: 0,
  errors: [], temporalWorkflowId: 'reminder-sweep-…-2026-11-28T14:00:00Z', temporalRunId: '0195f0a2-7b3c-7d4e-8f5a-6b7c8d9e0f1a',
};

@ApiTags('workflow runs')
@ApiAuthenticated()
@Controller('v1/workflow-runs')
export class WorkflowRunsController {
  constructor(private readonly runs: WorkflowRunsService) {}

  @Get()
  @ApiOperation({ summary: 'Runs of the company\'s workflows, newest first; `workflowId` narrows to one definition' })
  @ApiOkResponse({ type: PageOf(WorkflowRunView), example: { data: [runExample], nextCursor: null } })
  @ApiErrors({ 404: 'workflow c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f not found' })
  list(@CurrentUser() user: AuthUser, @Query() query: ListWorkflowRunsDto) {
    return this.runs.list(user, query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One run with its deliveries (each email, push, webhook, task or memo change, with its status and error)' })
  @ApiOkResponse({ type: WorkflowRunDetailView, example: { ...runExample, deliveries: [], deliveriesTruncated: false } })
  @ApiErrors({ 404: 'workflow run 3a4b5c6d-7e8f-4a9b-8c0d-1e2f3a4b5c6d not found' })
  get(@CurrentUser() user: AuthUser, @Param('id', IdPipe) id: string) {
    return this.runs.get(user, id);
  }

  @Get(':id/deliveries')
  @ApiOperation({ summary: 'Every delivery of a run, page by page in the order they were made; `status` narrows to one or several statuses' })
  @ApiOkResponse({
    type: PageOf(DeliveryView),
    example: {
      data: [{
        id: '8b9c0d1e-2f3a-4b5c-8d6e-7f8a9b0c1d2e', recordType: 'invoice', recordId: '5c9d2e7f-1a3b-4c8d-9e0f-6a7b8c9d0e12', occurrence: 'due:2026-11-30',
        channel: 'email', recipient: 'billing@tremblay.example', status: 'failed', error: '550 mailbox unavailable', attempts: 1,
        createdAt: '2026-11-28T14:00:01.120Z', sentAt: null,
      }],
      nextCursor: null,
    },
  })
  @ApiErrors({ 404: 'workflow run 3a4b5c6d-7e8f-4a9b-8c0d-1e2f3a4b5c6d not found' })
  deliveries(@CurrentUser() user: AuthUser, @Param('id', IdPipe) id: string, @Query() query: ListRunDeliveriesDto) {
    return this.runs.deliveries(user, id, query);
  }
}

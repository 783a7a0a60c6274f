import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse, ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiNoContentResponse, ApiNotFoundResponse,
  ApiOkResponse, ApiOperation, ApiTags, ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { AdminOnly } from '../auth/admin-only.decorator';
import { AuthUser, CurrentUser } from '../auth/current-user.decorator';
import { IdPipe } from '../common/id-param.pipe';
import { CreateWorkflowDto, ListWorkflowsQueryDto, PreviewQueryDto, UpdateWorkflowDto } from './dto/workflow.dto';
import { WorkflowPreviewService } from './workflow-preview.service';
import { WorkflowsService } from './workflows.service';
import { Idempotent } from '../common/idempotency.interceptor';

const example = {
  id: '…', companyId: '…', templateKey: 'payment-due-reminder', name: 'Due in three days', status: 'active',
  conditions: [{ field: 'balance', op: 'gt', value: '0.00' }, { field: 'dueDate', op: 'within_days', value: 3 }],
  actions: [{ type: 'email', to: 'customer', subject: 'Reminder: invoice {{invoiceNumber}} is due on {{date dueDate}}', body: 'Hello {{customerName}}, …' }],
  schedule: { time: '09:00' }, locale: 'en-US', createdBy: '…', createdAt: '2026-11-28T12:00:00.000Z', updatedAt: '2026-11-28T12:00:00.000Z',
};
const notFound = 'No such workflow in the caller\'s company';

/** Any user of the company reads definitions and previews them; only admins create, change, activate or delete them. */
@ApiTags('workflows')
@ApiBearerAuth()
@Controller('v1/workflows')
export class WorkflowsController {
  constructor(private readonly workflows: WorkflowsService, private readonly previews: WorkflowPreviewService) {}

  @Post()
  @Idempotent()
  @AdminOnly()
  @ApiOperation({ summary: 'Creates a definition from a template: "Save" (draft) or "Save and activate" (activate: true). Admins only.' })
  @ApiCreatedResponse({ schema: { example } })
  @ApiBadRequestResponse({ description: 'Unknown template, field, operator or variable; wrong value type; empty name; a user of another company' })
  @ApiUnprocessableEntityResponse({ description: 'activate: true on an incomplete definition (no recipient, no approver, …)' })
  @ApiConflictResponse({ description: 'activate: true while the company is not on the advanced plan' })
  create(@CurrentUser() caller: AuthUser, @Body() dto: CreateWorkflowDto) {
    return this.workflows.create(caller, dto);
  }

  @Get()
  @ApiOperation({ summary: 'Lists the company\'s definitions in creation order; filter by templateKey and status (comma-separated)' })
  @ApiOkResponse({ schema: { example: { data: [example], nextCursor: null } } })
  list(@CurrentUser() caller: AuthUser, @Query() query: ListWorkflowsQueryDto) {
    return this.workflows.list(caller, query);
  }

  @Get(':id')
  @ApiOkResponse({ schema: { example } })
  @ApiNotFoundResponse({ description: notFound })
  get(@CurrentUser() caller: AuthUser, @Param('id', IdPipe) id: string) {
    return this.workflows.get(caller, id);
  }

  @Patch(':id')
  @AdminOnly()
  @ApiOperation({ summary: 'Changes name, conditions, actions or schedule; omitted parts stay. An active definition must stay complete. Admins only.' })
  @ApiOkResponse({ schema: { example } })
  @ApiNotFoundResponse({ description: notFound })
  update(@CurrentUser() caller: AuthUser, @Param('id', IdPipe) id: string, @Body() dto: UpdateWorkflowDto) {
    return this.workflows.update(caller, id, dto);
  }

  @Delete(':id')
  @AdminOnly()
  @HttpCode(204)
  @ApiOperation({ summary: 'Deletes a definition (and its schedule). Admins only.' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ description: notFound })
  async remove(@CurrentUser() caller: AuthUser, @Param('id', IdPipe) id: string): Promise<void> {
    await this.workflows.remove(caller, id);
  }

  @Post(':id/activate')
  @Idempotent()
  @AdminOnly()
  @HttpCode(200)
  @ApiOperation({ summary: 'Activates a draft or inactive definition (idempotent). Admins only.' })
  @ApiOkResponse({ schema: { example } })
  @ApiUnprocessableEntityResponse({ description: 'The definition is incomplete; the message lists what is missing' })
  @ApiConflictResponse({ description: 'The company is not on the advanced plan' })
  @ApiNotFoundResponse({ description: notFound })
  activate(@CurrentUser() caller: AuthUser, @Param('id', IdPipe) id: string) {
    return this.workflows.activate(caller, id);
  }

  @Post(':id/deactivate')
  @Idempotent()
  @AdminOnly()
  @HttpCode(200)
  @ApiOperation({ summary: 'Deactivates an active definition (idempotent); it keeps its settings. Admins only.' })
  @ApiOkResponse({ schema: { example: { ...example, status: 'inactive' } } })
  @ApiConflictResponse({ description: 'The definition is a draft' })
  @ApiNotFoundResponse({ description: notFound })
  deactivate(@CurrentUser() caller: AuthUser, @Param('id', IdPipe) id: string) {
    return this.workflows.deactivate(caller, id);
  }

  @Post(':id/preview')
  @Idempotent()
  @HttpCode(200)
  @ApiOperation({ summary: 'Shows the records that match right now (first page) and every rendered message; sends nothing' })
  @ApiOkResponse({
    schema: {
      example: {
        definitionId: '…', templateKey: 'payment-due-reminder', status: 'active', evaluatedAt: '2026-11-28T12:00:00.000Z',
        timezone: 'America/Toronto', today: '2026-11-28', hasMore: false,
        matches: [{ recordType: 'invoice', recordId: '…', record: { number: 'INV-1042', amount: '1250.00', balance: '1250.00', dueDate: '2026-11-30' },
          messages: [{ action: 0, type: 'email', recipients: ['billing@tremblay.example'], subject: 'Reminder: invoice INV-1042 is due on November 30, 2026', body: '…', html: '…' }] }],
        sample: [{ action: 0, type: 'email', recipients: [], subject: '…', body: '…', html: '…' }],
      },
    },
  })
  @ApiNotFoundResponse({ description: notFound })
  async preview(@CurrentUser() caller: AuthUser, @Param('id', IdPipe) id: string, @Query() query: PreviewQueryDto) {
    return this.previews.preview(caller, await this.workflows.entity(caller, id), query.limit ?? 20);
  }
}

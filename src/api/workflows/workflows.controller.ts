import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiAuthenticated, ApiErrors, PageOf } from '../common/api-docs';
import { AdminOnly } from '../auth/admin-only.decorator';
import { AuthUser, CurrentUser } from '../auth/current-user.decorator';
import { IdPipe } from '../common/id-param.pipe';
import { CreateWorkflowDto, ListWorkflowsQueryDto, PreviewQueryDto, UpdateWorkflowDto } from './dto/workflow.dto';
import { WorkflowPreviewService } from './workflow-preview.service';
import { WorkflowPreviewView, WorkflowVersionView, WorkflowView } from './workflow.mapper';
import { ListQueryDto } from '../common/pagination';
import { WorkflowsService } from './workflows.service';
import { Idempotent } from '../common/idempotency.interceptor';

const example: WorkflowView = {
  id: 'c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f', companyId: '6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f', templateKey: 'payment-due-reminder', name: 'Due in three days', status: 'active',
  conditions: [{ field: 'balance', op: 'gt', value: '0.00' }, { field: 'dueDate', op: 'within_days', value: 3 }],
  actions: [{ type: 'email', to: 'customer', subject: 'Reminder: invoice {{invoiceNumber}} is due on {{date dueDate}}', body: 'Hello {{customerName}}, …' }],
  schedule: { time: '09:00' }, locale: 'en-US', version: 1, createdBy: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', createdAt: '2026-11-28T12:00:00.000Z', updatedAt: '2026-11-28T12:00:00.000Z',
};
const notFound = 'workflow c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f not found';
const versionExample: WorkflowVersionView = {
  definitionId: example.id, version: 2, name: 'Large invoices', conditions: [{ field: 'amount', op: 'gt', value: '1000.00' }],
  actions: [{ type: 'approval', steps: [{ approverIds: ['0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d'], required: 1 }], timeoutDays: 30 }],
  createdBy: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', createdAt: '2026-12-01T09:30:00.000Z',
};
const previewExample: WorkflowPreviewView = {
  definitionId: example.id, templateKey: 'payment-due-reminder', status: 'active', evaluatedAt: '2026-11-28T12:00:00.000Z',
  timezone: 'America/Toronto', today: '2026-11-28', hasMore: false,
  matches: [{ recordType: 'invoice', recordId: '5c9d2e7f-1a3b-4c8d-9e0f-6a7b8c9d0e12', record: { number: 'INV-1042', amount: '1250.00', balance: '1250.00', dueDate: '2026-11-30' },
    messages: [{ action: 0, type: 'email', recipients: ['billing@tremblay.example'], subject: 'Reminder: invoice INV-1042 is due on November 30, 2026', body: '…', html: '…' }] }],
  sample: [{ action: 0, type: 'email', recipients: [], subject: '…', body: '…', html: '…' }],
};

/** Any user of the company reads definitions and previews them; only admins create, change, activate or delete them. */
@ApiTags('workflows')
@ApiAuthenticated()
@Controller('v1/workflows')
export class WorkflowsController {
  constructor(private readonly workflows: WorkflowsService, private readonly previews: WorkflowPreviewService) {}

  @Post()
  @Idempotent()
  @AdminOnly()
  @ApiOperation({ summary: 'Creates a definition from a template: "Save" (draft) or "Save and activate" (activate: true). Admins only.' })
  @ApiCreatedResponse({ type: WorkflowView, example })
  @ApiErrors({
    400: 'conditions[0].field "colour" is not a condition field of payment-due-reminder',
    409: 'workflows need the advanced plan',
    422: 'the definition cannot be activated: actions[0] has no recipient',
  })
  create(@CurrentUser() caller: AuthUser, @Body() dto: CreateWorkflowDto) {
    return this.workflows.create(caller, dto);
  }

  @Get()
  @ApiOperation({ summary: 'Lists the company\'s definitions in creation order; filter by templateKey and status (comma-separated)' })
  @ApiOkResponse({ type: PageOf(WorkflowView), example: { data: [example], nextCursor: null } })
  list(@CurrentUser() caller: AuthUser, @Query() query: ListWorkflowsQueryDto) {
    return this.workflows.list(caller, query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One definition of the company' })
  @ApiOkResponse({ type: WorkflowView, example })
  @ApiErrors({ 404: notFound })
  get(@CurrentUser() caller: AuthUser, @Param('id', IdPipe) id: string) {
    return this.workflows.get(caller, id);
  }

  @Get(':id/versions')
  @ApiOperation({
    summary: "The definition's versions, newest first, each with its content as saved. A saved change of an approval definition that is or was active "
      + 'makes the next version (a run keeps the version it started with); a draft, and the other templates, keep one version, changed in place.',
  })
  @ApiOkResponse({ type: PageOf(WorkflowVersionView), example: { data: [versionExample], nextCursor: null } })
  @ApiErrors({ 404: notFound })
  versions(@CurrentUser() caller: AuthUser, @Param('id', IdPipe) id: string, @Query() query: ListQueryDto) {
    return this.workflows.versions(caller, id, query);
  }

  @Get(':id/versions/:version')
  @ApiOperation({ summary: 'One version of the definition (the version an approval run started with: its definitionVersion)' })
  @ApiParam({ name: 'version', schema: { type: 'integer', minimum: 1, maximum: 2147483647 }, example: 2 })
  @ApiOkResponse({ type: WorkflowVersionView, example: versionExample })
  @ApiErrors({ 400: '"0" is not a version number (a whole number from 1)', 404: `${notFound}; or: workflow c1d2… has no version 3; its latest is 2` })
  version(@CurrentUser() caller: AuthUser, @Param('id', IdPipe) id: string, @Param('version') version: string) {
    return this.workflows.version(caller, id, version);
  }

  @Patch(':id')
  @AdminOnly()
  @ApiOperation({
    summary: 'Changes name, conditions, actions, schedule or a sequence\'s steps; omitted parts stay. An active definition must stay complete; ' +
      'steps that have gone out to invoices keep their order and offsetDays (their texts may change). A change of an approval definition that is or was ' +
      'active makes its next version (runs keep theirs). Admins only.',
  })
  @ApiOkResponse({ type: WorkflowView, example })
  @ApiErrors({
    404: notFound,
    409: 'workflows need the advanced plan; or: step 2 (offsetDays 1) has gone out to invoices already: steps 1 to 2 keep their order and offsetDays',
    422: 'an active definition must stay complete: actions[0] has no recipient',
  })
  update(@CurrentUser() caller: AuthUser, @Param('id', IdPipe) id: string, @Body() dto: UpdateWorkflowDto) {
    return this.workflows.update(caller, id, dto);
  }

  @Delete(':id')
  @AdminOnly()
  @HttpCode(204)
  @ApiOperation({ summary: 'Deletes a definition (and its schedule). Admins only.' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors({ 404: notFound })
  async remove(@CurrentUser() caller: AuthUser, @Param('id', IdPipe) id: string): Promise<void> {
    await this.workflows.remove(caller, id);
  }

  @Post(':id/activate')
  @Idempotent()
  @AdminOnly()
  @HttpCode(200)
  @ApiOperation({ summary: 'Activates a draft or inactive definition (idempotent). Admins only.' })
  @ApiOkResponse({ type: WorkflowView, example })
  @ApiErrors({ 404: notFound, 409: 'workflows need the advanced plan', 422: 'the definition cannot be activated: actions[0] has no recipient' })
  activate(@CurrentUser() caller: AuthUser, @Param('id', IdPipe) id: string) {
    return this.workflows.activate(caller, id);
  }

  @Post(':id/deactivate')
  @Idempotent()
  @AdminOnly()
  @HttpCode(200)
  @ApiOperation({ summary: 'Deactivates an active definition (idempotent); it keeps its settings. Admins only.' })
  @ApiOkResponse({ type: WorkflowView, example: { ...example, status: 'inactive' } })
  @ApiErrors({ 404: notFound, 409: 'workflow c1d2… is a draft' })
  deactivate(@CurrentUser() caller: AuthUser, @Param('id', IdPipe) id: string) {
    return this.workflows.deactivate(caller, id);
  }

  @Post('preview')
  @AdminOnly()
  @Idempotent()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Previews a definition being edited, before it is saved: the body of POST /v1/workflows, checked the same way (same 400s), ' +
      'answered as POST /v1/workflows/{id}/preview answers (definitionId null); saves and sends nothing. Admins only, like creating one.',
  })
  @ApiOkResponse({ type: WorkflowPreviewView, example: { ...previewExample, definitionId: null, status: 'draft' } })
  @ApiErrors({ 400: 'conditions[0]: unknown field "colour" for template "payment-due-reminder"' })
  async previewDraft(@CurrentUser() caller: AuthUser, @Body() dto: CreateWorkflowDto, @Query() query: PreviewQueryDto) {
    return this.previews.preview(caller, await this.workflows.draft(caller, dto), query.limit ?? 20);
  }

  @Post(':id/preview')
  @Idempotent()
  @HttpCode(200)
  @ApiOperation({ summary: 'Shows the records that match right now (first page) and every rendered message; sends nothing' })
  @ApiOkResponse({ type: WorkflowPreviewView, example: previewExample })
  @ApiErrors({ 404: notFound })
  async preview(@CurrentUser() caller: AuthUser, @Param('id', IdPipe) id: string, @Query() query: PreviewQueryDto) {
    return this.previews.preview(caller, await this.workflows.entity(caller, id), query.limit ?? 20);
  }
}

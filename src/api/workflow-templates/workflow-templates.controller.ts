import { Controller, Get, NotFoundException, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiAuthenticated, ApiErrors, PageOf } from '../common/api-docs';
import { findTemplate, TEMPLATE_KEYS, WORKFLOW_TEMPLATES } from '../../domain/templates';
import { toTemplateView, WorkflowTemplateView } from './template.mapper';

const example = {
  key: 'payment-due-reminder', audience: 'customer', recordType: 'invoice', trigger: 'schedule',
  description: { 'en-US': 'Emails the customer before an invoice falls due.', 'fr-CA': "Envoie un rappel au client avant l'échéance d'une facture." },
  conditionFields: [{ field: 'dueDate', type: 'date', ops: ['eq', 'within_days', 'overdue_by_days'], description: 'Due date' }],
  variables: [{ name: 'invoiceNumber', type: 'text', description: 'Invoice number', example: 'INV-1042' }],
  actionTypes: ['email', 'push', 'task', 'memo', 'stamp'],
  defaults: { 'en-US': { name: 'Payment due reminder', conditions: [], actions: [], schedule: { time: '09:00' } }, 'fr-CA': { name: 'Rappel d\'échéance', conditions: [], actions: [], schedule: { time: '09:00' } } },
};

/** The catalogue is the same for every company; any authenticated user reads it. */
@ApiTags('workflows')
@ApiAuthenticated()
@Controller('v1/workflow-templates')
export class WorkflowTemplatesController {
  private readonly views = WORKFLOW_TEMPLATES.map(toTemplateView);

  @Get()
  @ApiOperation({ summary: 'Lists the templates workflows are made from, with their fields, operators, variables and defaults per locale' })
  @ApiOkResponse({ type: PageOf(WorkflowTemplateView), example: { data: [example], nextCursor: null } })
  list() {
    return { data: this.views, nextCursor: null };
  }

  @Get(':key')
  @ApiOperation({ summary: 'One template of the catalogue' })
  @ApiOkResponse({ type: WorkflowTemplateView, example })
  @ApiErrors({ 404: 'template "nope" not found; templates are payment-due-reminder, …' })
  get(@Param('key') key: string): WorkflowTemplateView {
    if (!findTemplate(key)) throw new NotFoundException(`template "${key}" not found; templates are ${TEMPLATE_KEYS.join(', ')}`);
    return this.views.find((v) => v.key === key)!;
  }
}

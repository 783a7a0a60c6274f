import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '../auth/admin-only.decorator';
import { AuthUser, CurrentUser } from '../auth/current-user.decorator';
import { ApiAuthenticated, ApiErrors, PageOf } from '../common/api-docs';
import { IdPipe } from '../common/id-param.pipe';
import { sendJson } from '../common/json-body';
import { CreateInvoiceDto, ListInvoicesQueryDto, UpdateInvoiceDto } from './dto/invoice.dto';
import { invoiceExample, InvoiceView } from './invoice.mapper';
import { invoiceMessageExample, InvoiceMessageView } from './invoice-message.mapper';
import { ListQueryDto } from '../common/pagination';
import { InvoicesService } from './invoices.service';
import { Idempotent } from '../common/idempotency.interceptor';

const notFound = 'invoice 5c9d2e7f-1a3b-4c8d-9e0f-6a7b8c9d0e12 not found';
const badId = '"abc" is not a valid id (ids are UUIDs)';

@ApiTags('invoices')
@ApiAuthenticated()
@Controller('v1/invoices')
export class InvoicesController {
  constructor(private readonly invoices: InvoicesService) {}

  @Post()
  @Idempotent()
  @ApiOperation({
    summary: 'Creates an invoice; its balance starts at its amount',
    description: 'The customer and the location must belong to the caller\'s company: another company\'s id answers 404, '
      + 'exactly like an unknown id. `approvalStatus` is decided by the company\'s active approval definitions.',
  })
  @ApiCreatedResponse({ type: InvoiceView, example: invoiceExample })
  @ApiErrors({
    400: 'dueDate (2026-11-30) must not be before issueDate (2026-12-01)',
    404: 'customer 3f0e1c9a-5b2d-4c1e-9a7f-2d6b8e4c1a00 not found',
    409: 'an invoice numbered "INV-1042" already exists in this company',
    413: 'request body is larger than the allowed limit',
  })
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateInvoiceDto) {
    return this.invoices.create(user, dto);
  }

  @Get()
  @ApiOperation({ summary: 'Lists invoices in creation order, with filters (combined with AND)' })
  @ApiOkResponse({ type: PageOf(InvoiceView), example: { data: [invoiceExample], nextCursor: 'WyIyMDI2LTEyLTAxVDE0OjAzOjExLjEyM1oiLCI1YzlkIl0' } })
  @ApiErrors({ 400: 'approvalStatus takes comma-separated values among not_required, approval_required, pending_approval, approved, rejected; got "paid"' })
  async list(@CurrentUser() user: AuthUser, @Query() query: ListInvoicesQueryDto, @Res() res: ServerResponse): Promise<void> {
    sendJson(res, await this.invoices.list(user, query)); // the service returns the page as encoded JSON
  }

  @Get(':id')
  @ApiOperation({ summary: 'One invoice of the company' })
  @ApiOkResponse({ type: InvoiceView, example: invoiceExample })
  @ApiErrors({ 400: badId, 404: notFound })
  get(@CurrentUser() user: AuthUser, @Param('id', IdPipe) id: string) {
    return this.invoices.get(user, id);
  }

  @Patch(':id')
  @ApiOperation({
    summary: 'Changes an invoice; a new amount moves the balance by the same difference',
    description: 'Editing the amount, customer or location of an invoice may change its approvalStatus.',
  })
  @ApiOkResponse({ type: InvoiceView, example: { ...invoiceExample, amount: '1500.00', balance: '1500.00' } })
  @ApiErrors({
    400: 'dueDate (2026-11-30) must not be before issueDate (2026-12-01)',
    404: notFound,
    409: 'an invoice numbered "INV-1043" already exists in this company',
    422: 'amount 100.00 is below the 250.00 already paid on invoice INV-1042',
  })
  update(@CurrentUser() user: AuthUser, @Param('id', IdPipe) id: string, @Body() dto: UpdateInvoiceDto) {
    return this.invoices.update(user, id, dto);
  }

  @Delete(':id')
  @AdminOnly()
  @HttpCode(204)
  @ApiOperation({ summary: 'Deletes an invoice that has no payments (admins)' })
  @ApiNoContentResponse()
  @ApiErrors({ 400: badId, 404: notFound, 409: 'invoice INV-1042 has 1 payment(s) recorded against it and cannot be deleted' })
  remove(@CurrentUser() user: AuthUser, @Param('id', IdPipe) id: string) {
    return this.invoices.remove(user, id);
  }

  @Post(':id/send')
  @Idempotent()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Emails the invoice to its customer and records sentAt',
    description: 'Sending again emails it again and moves sentAt. Sends at once (a double click, a client retrying while the first is '
      + 'under way) are one send: one email, and each answers its outcome; a send whose mail server stopped answering after taking '
      + 'the email may have reached the customer: it is not repeated (409). Invoices that need, await or were refused approval cannot be sent.',
  })
  @ApiOkResponse({ type: InvoiceView, example: { ...invoiceExample, sentAt: '2026-12-01T15:00:00.000Z' } })
  @ApiErrors({
    400: badId,
    404: notFound,
    409: 'invoice INV-1042 is pending_approval and cannot be sent until approved; or: billing@globex.test is suppressed (suppression 7a1b…, '
      + 'bounce: 5.1.1 user unknown): nothing is sent to it until an admin deletes the suppression',
    422: 'customer Globex (3f0e…) has no email address: set one with PATCH /v1/customers/3f0e… before sending',
    503: 'the mail server did not accept the email to billing@globex.test; the invoice was not marked sent, retry later',
  })
  send(@CurrentUser() user: AuthUser, @Param('id', IdPipe) id: string) {
    return this.invoices.send(user, id);
  }

  @Get(':id/messages')
  @ApiOperation({
    summary: 'What went out to the customer about the invoice and what came back (replies, auto-replies, bounces), oldest first, as plain text',
  })
  @ApiOkResponse({ type: PageOf(InvoiceMessageView), example: { data: [invoiceMessageExample], nextCursor: null } })
  @ApiErrors({ 400: badId, 404: notFound })
  messages(@CurrentUser() user: AuthUser, @Param('id', IdPipe) id: string, @Query() query: ListQueryDto) {
    return this.invoices.messages(user, id, query);
  }
}

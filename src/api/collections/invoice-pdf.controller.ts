import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { InvoiceDocumentsRepository } from '../../db/invoice-documents.repository';
import { invoicePdfFilename, renderInvoicePdf } from '../../infra/invoice-pdf';
import { AuthUser, CurrentUser } from '../auth/current-user.decorator';
import { ApiAuthenticated, ApiErrors } from '../common/api-docs';
import { IdPipe } from '../common/id-param.pipe';
import { orNotFound } from '../common/owned';

@ApiTags('invoices')
@ApiAuthenticated()
@Controller('v1/invoices')
export class InvoicePdfController {
  private readonly documents: InvoiceDocumentsRepository;

  constructor(@InjectDataSource() dataSource: DataSource) {
    this.documents = new InvoiceDocumentsRepository(dataSource);
  }

  @Get(':id/pdf')
  @ApiOperation({
    summary: 'The invoice as a PDF, in the company locale',
    description: 'The same file that sending the invoice, send-unsent-invoices and reminder steps with attachInvoicePdf attach.',
  })
  @ApiOkResponse({ description: 'The PDF', content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } } })
  @ApiErrors({ 400: '"abc" is not a valid id (ids are UUIDs)', 404: 'invoice 5c9d2e7f-1a3b-4c8d-9e0f-6a7b8c9d0e12 not found' })
  async pdf(@CurrentUser() user: AuthUser, @Param('id', IdPipe) id: string, @Res() res: Response): Promise<void> {
    const document = orNotFound(await this.documents.find(user.companyId, id), 'invoice', id);
    const pdf = await renderInvoicePdf(document);
    res.status(200).type('application/pdf').set('Content-Disposition', `inline; filename="${invoicePdfFilename(document.invoice.number)}"`).send(pdf);
  }
}

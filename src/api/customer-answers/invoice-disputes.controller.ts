import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '../auth/current-user.decorator';
import { ApiAuthenticated, ApiErrors } from '../common/api-docs';
import { IdPipe } from '../common/id-param.pipe';
import { Idempotent } from '../common/idempotency.interceptor';
import { invoiceExample, InvoiceView } from '../invoices/invoice.mapper';
import { ResolveDisputeDto } from './dto/resolve-dispute.dto';
import { InvoiceDisputesService } from './invoice-disputes.service';

@ApiTags('invoices')
@ApiAuthenticated()
@Controller('v1/invoices')
export class InvoiceDisputesController {
  constructor(private readonly disputes: InvoiceDisputesService) {}

  @Post(':id/dispute/resolve')
  @Idempotent()
  @HttpCode(200)
  @ApiOperation({
    summary: "Resolves the customer's open dispute of the invoice, with a note; its reminders go on (invoice.dispute_resolved)",
    description: 'Recorded in the audit trail. The note is kept with the dispute; the customer is not emailed.',
  })
  @ApiOkResponse({ type: InvoiceView, example: invoiceExample })
  @ApiErrors({ 404: 'invoice 5c9d2e7f-1a3b-4c8d-9e0f-6a7b8c9d0e12 not found', 409: 'invoice INV-1042 has no open dispute' })
  resolve(@CurrentUser() user: AuthUser, @Param('id', IdPipe) id: string, @Body() dto: ResolveDisputeDto): Promise<InvoiceView> {
    return this.disputes.resolve(user, id, dto.resolution);
  }
}

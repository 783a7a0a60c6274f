import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiAuthenticated, ApiErrors } from '../common/api-docs';
import { IdPipe } from '../common/id-param.pipe';
import { type AuthUser, CurrentUser } from '../auth/current-user.decorator';
import { ApprovalView } from './approval.view';
import { ApprovalsService } from './approvals.service';
import { ApproveInvoiceDto, RejectInvoiceDto } from './dto/decide-invoice.dto';
import { Idempotent } from '../common/idempotency.interceptor';
import { RateLimitedPerUser } from '../common/rate-limits';

@ApiTags('approvals')
@ApiAuthenticated()
@ApiErrors({ 404: 'invoice 5c9d2e7f-1a3b-4c8d-9e0f-6a7b8c9d0e12 not found' })
@Controller('v1/invoices')
export class ApprovalsController {
  constructor(private readonly approvals: ApprovalsService) {}

  @Post(':id/submit-for-approval')
  @Idempotent()
  @HttpCode(200)
  @ApiOperation({ summary: 'Starts the approval workflow of an approval_required (or rejected) invoice' })
  @ApiOkResponse({ type: ApprovalView, description: 'The approval, already pending_approval' })
  @ApiErrors({ 409: 'invoice INV-1042 is not_required; only approval_required or rejected invoices can be submitted' })
  submit(@Param('id', IdPipe) id: string, @CurrentUser() user: AuthUser): Promise<ApprovalView> {
    return this.approvals.submit(id, user);
  }

  @Post(':id/approve')
  @Idempotent()
  @RateLimitedPerUser('decision')
  @HttpCode(200)
  @ApiOperation({ summary: 'Approves the pending step of the invoice as the caller' })
  @ApiOkResponse({ type: ApprovalView, description: 'The approval with the decision recorded' })
  @ApiErrors({ 403: 'you are not an approver of step 1 of invoice INV-1042', 409: 'invoice INV-1042 is not pending approval' })
  approve(@Param('id', IdPipe) id: string, @Body() body: ApproveInvoiceDto, @CurrentUser() user: AuthUser): Promise<ApprovalView> {
    return this.approvals.decide(id, user, 'approve', { comment: body.comment });
  }

  @Post(':id/reject')
  @Idempotent()
  @RateLimitedPerUser('decision')
  @HttpCode(200)
  @ApiOperation({ summary: 'Rejects the invoice as the caller, with a reason' })
  @ApiOkResponse({ type: ApprovalView, description: 'The approval, already rejected' })
  @ApiErrors({ 403: 'you are not an approver of step 1 of invoice INV-1042', 409: 'invoice INV-1042 is not pending approval' })
  reject(@Param('id', IdPipe) id: string, @Body() body: RejectInvoiceDto, @CurrentUser() user: AuthUser): Promise<ApprovalView> {
    return this.approvals.decide(id, user, 'reject', { reason: body.reason });
  }

  @Get(':id/approval')
  @ApiOperation({ summary: 'Status, steps, approvers, deadline and decision trail of the invoice\'s approval' })
  @ApiOkResponse({ type: ApprovalView })
  view(@Param('id', IdPipe) id: string, @CurrentUser() user: AuthUser): Promise<ApprovalView> {
    return this.approvals.view(id, user);
  }
}

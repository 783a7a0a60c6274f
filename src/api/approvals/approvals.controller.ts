import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiForbiddenResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type AuthUser, CurrentUser } from '../auth/current-user.decorator';
import { ApprovalView } from './approval.view';
import { ApprovalsService } from './approvals.service';
import { ApproveInvoiceDto, RejectInvoiceDto } from './dto/decide-invoice.dto';
import { Idempotent } from '../common/idempotency.interceptor';

@ApiTags('approvals')
@ApiBearerAuth()
@ApiNotFoundResponse({ description: 'No invoice with this id in the caller\'s company' })
@Controller('v1/invoices')
export class ApprovalsController {
  constructor(private readonly approvals: ApprovalsService) {}

  @Post(':id/submit-for-approval')
  @Idempotent()
  @HttpCode(200)
  @ApiOperation({ summary: 'Starts the approval workflow of an approval_required (or rejected) invoice' })
  @ApiOkResponse({ type: ApprovalView, description: 'The approval, already pending_approval' })
  @ApiConflictResponse({ description: 'The invoice is not approval_required or rejected, or the company is not on the advanced plan' })
  submit(@Param('id') id: string, @CurrentUser() user: AuthUser): Promise<ApprovalView> {
    return this.approvals.submit(id, user);
  }

  @Post(':id/approve')
  @Idempotent()
  @HttpCode(200)
  @ApiOperation({ summary: 'Approves the pending step of the invoice as the caller' })
  @ApiOkResponse({ type: ApprovalView, description: 'The approval with the decision recorded' })
  @ApiForbiddenResponse({ description: 'The caller is not an approver of the pending step' })
  @ApiConflictResponse({ description: 'The invoice is not pending approval' })
  approve(@Param('id') id: string, @Body() body: ApproveInvoiceDto, @CurrentUser() user: AuthUser): Promise<ApprovalView> {
    return this.approvals.decide(id, user, 'approve', { comment: body.comment });
  }

  @Post(':id/reject')
  @Idempotent()
  @HttpCode(200)
  @ApiOperation({ summary: 'Rejects the invoice as the caller, with a reason' })
  @ApiOkResponse({ type: ApprovalView, description: 'The approval, already rejected' })
  @ApiForbiddenResponse({ description: 'The caller is not an approver of the pending step' })
  @ApiConflictResponse({ description: 'The invoice is not pending approval' })
  reject(@Param('id') id: string, @Body() body: RejectInvoiceDto, @CurrentUser() user: AuthUser): Promise<ApprovalView> {
    return this.approvals.decide(id, user, 'reject', { reason: body.reason });
  }

  @Get(':id/approval')
  @ApiOperation({ summary: 'Status, steps, approvers, deadline and decision trail of the invoice\'s approval' })
  @ApiOkResponse({ type: ApprovalView })
  view(@Param('id') id: string, @CurrentUser() user: AuthUser): Promise<ApprovalView> {
    return this.approvals.view(id, user);
  }
}

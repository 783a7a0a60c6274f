import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiAuthenticated, ApiErrors } from '../common/api-docs';
import { IdPipe } from '../common/id-param.pipe';
import { Idempotent } from '../common/idempotency.interceptor';
import { RateLimitedPerUser } from '../common/rate-limits';
import { type AuthUser, CurrentUser } from '../auth/current-user.decorator';
import { ApprovalView } from '../approvals/approval.view';
import { ApprovalsService } from '../approvals/approvals.service';
import { ApproveBillDto, RejectBillDto } from './dto/bill-approval.dto';

/** A bill's approval: the same durable workflow, rules and answers as an invoice's, through the generic approvals service. */
@ApiTags('approvals')
@ApiAuthenticated()
@ApiErrors({ 400: '"abc" is not a valid id (ids are UUIDs)', 404: 'bill e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a50 not found' })
@Controller('v1/bills')
export class BillApprovalsController {
  constructor(private readonly approvals: ApprovalsService) {}

  @Post(':id/submit-for-approval')
  @Idempotent()
  @HttpCode(200)
  @ApiOperation({ summary: 'Starts the approval workflow of an approval_required (or rejected) bill' })
  @ApiOkResponse({ type: ApprovalView, description: 'The approval, already pending_approval' })
  @ApiErrors({ 403: 'only the creator of bill V-88213 or an admin may submit it for approval', 409: 'bill V-88213 does not need approval; only a bill that is approval_required or rejected can be submitted' })
  submit(@Param('id', IdPipe) id: string, @CurrentUser() user: AuthUser): Promise<ApprovalView> {
    return this.approvals.submit({ kind: 'bill', id }, user);
  }

  @Post(':id/approve')
  @Idempotent()
  @RateLimitedPerUser('decision')
  @HttpCode(200)
  @ApiOperation({ summary: 'Approves the pending step of the bill as the caller' })
  @ApiOkResponse({ type: ApprovalView, description: 'The approval with the decision recorded' })
  @ApiErrors({ 403: 'you are not an approver of step 1 of bill V-88213', 409: 'bill V-88213 is not pending approval' })
  approve(@Param('id', IdPipe) id: string, @Body() body: ApproveBillDto, @CurrentUser() user: AuthUser): Promise<ApprovalView> {
    return this.approvals.decide({ kind: 'bill', id }, user, 'approve', { comment: body.comment });
  }

  @Post(':id/reject')
  @Idempotent()
  @RateLimitedPerUser('decision')
  @HttpCode(200)
  @ApiOperation({ summary: 'Rejects the bill as the caller, with a reason' })
  @ApiOkResponse({ type: ApprovalView, description: 'The approval, already rejected' })
  @ApiErrors({ 403: 'you are not an approver of step 1 of bill V-88213', 409: 'bill V-88213 is not pending approval' })
  reject(@Param('id', IdPipe) id: string, @Body() body: RejectBillDto, @CurrentUser() user: AuthUser): Promise<ApprovalView> {
    return this.approvals.decide({ kind: 'bill', id }, user, 'reject', { reason: body.reason });
  }

  @Get(':id/approval')
  @ApiOperation({ summary: 'Status, steps, approvers, deadline and decision trail of the bill\'s approval' })
  @ApiOkResponse({ type: ApprovalView })
  view(@Param('id', IdPipe) id: string, @CurrentUser() user: AuthUser): Promise<ApprovalView> {
    return this.approvals.view({ kind: 'bill', id }, user);
  }
}

import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { type AuthUser, CurrentUser } from '../auth/current-user.decorator';
import { ApiAuthenticated, ApiErrors } from '../common/api-docs';
import { Idempotent } from '../common/idempotency.interceptor';
import { ApiRateLimited, PerUserAllowance } from '../common/rate-limits';
import { BulkDecisionDto, BulkDecisionView } from './bulk-decisions.dto';
import { BulkDecisionsService } from './bulk-decisions.service';

const example: BulkDecisionView = {
  decision: 'approve',
  decided: 1,
  refused: 2,
  results: [
    { kind: 'invoice', id: '5c9d2e7f-1a3b-4c8d-9e0f-6a7b8c9d0e12', outcome: 'decided', approval: { invoiceId: '5c9d2e7f-1a3b-4c8d-9e0f-6a7b8c9d0e12', status: 'approved' } as never },
    { kind: 'invoice', id: '0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e', outcome: 'refused', status: 409, error: 'Conflict',
      message: 'invoice INV-1043 is not pending approval (its approval status is approved)' },
    { kind: 'bill', id: '7d6c5b4a-3f2e-4d1c-8b0a-9f8e7d6c5b4a', outcome: 'refused', status: 404, error: 'Not Found',
      message: 'bill 7d6c5b4a-3f2e-4d1c-8b0a-9f8e7d6c5b4a not found' },
  ],
};

@ApiTags('approvals')
@ApiAuthenticated()
@Controller('v1/approvals')
export class BulkDecisionsController {
  constructor(private readonly bulk: BulkDecisionsService, private readonly allowance: PerUserAllowance) {}

  @Post('bulk')
  @Idempotent()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Approves or rejects up to 100 invoices and bills as the caller, each on its own',
    description: 'Each item is decided exactly as its single route (POST /v1/invoices/:id/approve, /reject; the same for bills) would: '
      + 'the same checks, the same decision trail entry. The answer is 200 with every item\'s own result, in the order sent: '
      + '`decided` with the approval view, or `refused` with the status and message its single route would answer (404 for a '
      + 'document of another company, as for a missing one). Each item counts as one decision against the caller\'s allowance '
      + '(RELANCE_DECISION_RATE a minute, shared with the single routes); past it the whole call is a 429 and nothing is decided.',
  })
  @ApiOkResponse({ type: BulkDecisionView, example })
  @ApiErrors({ 400: 'items must hold 1 to 100 items; send a larger batch in several calls' })
  @ApiRateLimited('decision')
  async decide(@Body() body: BulkDecisionDto, @CurrentUser() user: AuthUser, @Res({ passthrough: true }) res: Response): Promise<BulkDecisionView> {
    this.bulk.check(body);
    await this.allowance.consume('decision', user, res, body.items.length);
    return this.bulk.decide(body, user);
  }
}

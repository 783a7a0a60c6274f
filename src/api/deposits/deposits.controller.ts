import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '../auth/current-user.decorator';
import { ApiAuthenticated, ApiErrors, PageOf } from '../common/api-docs';
import { IdPipe } from '../common/id-param.pipe';
import { depositExample, DepositView } from './deposit.mapper';
import { DepositsService } from './deposits.service';
import { CreateDepositDto, ListDepositsQueryDto } from './dto/deposit.dto';
import { Idempotent } from '../common/idempotency.interceptor';

@ApiTags('deposits')
@ApiAuthenticated()
@Controller('v1/deposits')
export class DepositsController {
  constructor(private readonly deposits: DepositsService) {}

  @Post()
  @Idempotent()
  @ApiOperation({ summary: 'Records a bank deposit grouping undeposited payments; its amount is their sum' })
  @ApiCreatedResponse({ type: DepositView, example: depositExample })
  @ApiErrors({
    400: 'paymentIds must list at least one payment',
    404: 'payment(s) not found: 9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c60',
    409: 'payment(s) already deposited: 9a8b7c6d-… (deposit 2b3c4d5e-…)',
  })
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateDepositDto) {
    return this.deposits.create(user, dto);
  }

  @Get()
  @ApiOperation({ summary: 'Lists bank deposits in creation order' })
  @ApiOkResponse({ type: PageOf(DepositView), example: { data: [depositExample], nextCursor: null } })
  @ApiErrors({ 400: 'limit must be an integer from 1 to 200' })
  list(@CurrentUser() user: AuthUser, @Query() query: ListDepositsQueryDto) {
    return this.deposits.list(user, query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One bank deposit with its payments' })
  @ApiOkResponse({ type: DepositView, example: depositExample })
  @ApiErrors({ 400: '"abc" is not a valid id (ids are UUIDs)', 404: 'deposit 2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e not found' })
  get(@CurrentUser() user: AuthUser, @Param('id', IdPipe) id: string) {
    return this.deposits.get(user, id);
  }
}

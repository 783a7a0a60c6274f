import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '../auth/current-user.decorator';
import { ApiAuthenticated, ApiErrors, PageOf } from '../common/api-docs';
import { IdPipe } from '../common/id-param.pipe';
import { CreatePaymentDto, ListPaymentsQueryDto } from './dto/payment.dto';
import { paymentExample, PaymentView } from './payment.mapper';
import { PaymentsService } from './payments.service';
import { Idempotent } from '../common/idempotency.interceptor';

@ApiTags('payments')
@ApiAuthenticated()
@Controller('v1/payments')
export class PaymentsController {
  constructor(private readonly payments: PaymentsService) {}

  @Post()
  @Idempotent()
  @ApiOperation({ summary: 'Records a customer payment against an invoice and lowers its balance' })
  @ApiCreatedResponse({ type: PaymentView, example: paymentExample })
  @ApiErrors({
    400: 'amount must be a decimal string such as "1250.00", not a JSON number',
    404: 'invoice 5c9d2e7f-1a3b-4c8d-9e0f-6a7b8c9d0e12 not found',
    422: 'amount 300.00 exceeds the balance 250.00 of invoice INV-1042',
  })
  create(@CurrentUser() user: AuthUser, @Body() dto: CreatePaymentDto) {
    return this.payments.create(user, dto);
  }

  @Get()
  @ApiOperation({ summary: 'Lists payments in creation order; `deposited=false` lists the undeposited funds' })
  @ApiOkResponse({ type: PageOf(PaymentView), example: { data: [paymentExample], nextCursor: null } })
  @ApiErrors({ 400: 'deposited must be "true" or "false"' })
  list(@CurrentUser() user: AuthUser, @Query() query: ListPaymentsQueryDto) {
    return this.payments.list(user, query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One payment of the company' })
  @ApiOkResponse({ type: PaymentView, example: paymentExample })
  @ApiErrors({ 400: '"abc" is not a valid id (ids are UUIDs)', 404: 'payment 9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c60 not found' })
  get(@CurrentUser() user: AuthUser, @Param('id', IdPipe) id: string) {
    return this.payments.get(user, id);
  }
}

import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '../auth/admin-only.decorator';
import { AuthUser, CurrentUser } from '../auth/current-user.decorator';
import { ApiAuthenticated, ApiErrors, PageOf } from '../common/api-docs';
import { IdPipe } from '../common/id-param.pipe';
import { billExample, BillView } from './bill.mapper';
import { BillsService } from './bills.service';
import { CreateBillDto, ListBillsQueryDto, PayBillDto, UpdateBillDto } from './dto/bill.dto';
import { Idempotent } from '../common/idempotency.interceptor';

const notFound = 'bill e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a50 not found';

@ApiTags('bills')
@ApiAuthenticated()
@Controller('v1/bills')
export class BillsController {
  constructor(private readonly bills: BillsService) {}

  @Post()
  @Idempotent()
  @ApiOperation({ summary: 'Records a vendor bill; its balance starts at its amount' })
  @ApiCreatedResponse({ type: BillView, example: billExample })
  @ApiErrors({
    400: 'amount has more than two decimals: "480.001"',
    404: 'vendor 8d2b6f3e-0c4a-4e7b-b1d9-5a3c7e2f9b10 not found',
  })
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateBillDto) {
    return this.bills.create(user, dto);
  }

  @Get()
  @ApiOperation({ summary: 'Lists bills in creation order; filters by vendor, due-date range, paid' })
  @ApiOkResponse({ type: PageOf(BillView), example: { data: [billExample], nextCursor: null } })
  @ApiErrors({ 400: 'paid must be "true" or "false"' })
  list(@CurrentUser() user: AuthUser, @Query() query: ListBillsQueryDto) {
    return this.bills.list(user, query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One bill of the company' })
  @ApiOkResponse({ type: BillView, example: billExample })
  @ApiErrors({ 400: '"abc" is not a valid id (ids are UUIDs)', 404: notFound })
  get(@CurrentUser() user: AuthUser, @Param('id', IdPipe) id: string) {
    return this.bills.get(user, id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Changes a bill; a new amount moves the balance by the same difference' })
  @ApiOkResponse({ type: BillView, example: billExample })
  @ApiErrors({ 400: 'dueDate (2026-11-01) must not be before issueDate (2026-12-01)', 404: notFound, 409: 'bill e1f2… is already paid; its amount cannot change' })
  update(@CurrentUser() user: AuthUser, @Param('id', IdPipe) id: string, @Body() dto: UpdateBillDto) {
    return this.bills.update(user, id, dto);
  }

  @Delete(':id')
  @AdminOnly()
  @HttpCode(204)
  @ApiOperation({ summary: 'Deletes a bill (admins)' })
  @ApiNoContentResponse()
  @ApiErrors({ 404: notFound })
  remove(@CurrentUser() user: AuthUser, @Param('id', IdPipe) id: string) {
    return this.bills.remove(user, id);
  }

  @Post(':id/pay')
  @Idempotent()
  @HttpCode(200)
  @ApiOperation({ summary: 'Marks the bill paid in full: paidAt is set and the balance becomes 0' })
  @ApiOkResponse({ type: BillView, example: { ...billExample, balance: '0.00', paidAt: '2026-12-14T16:00:00.000Z' } })
  @ApiErrors({ 400: 'paidAt must be an ISO 8601 date-time such as "2026-12-14T16:00:00Z"', 404: notFound, 409: 'bill e1f2… is already paid' })
  pay(@CurrentUser() user: AuthUser, @Param('id', IdPipe) id: string, @Body() dto: PayBillDto) {
    return this.bills.pay(user, id, dto);
  }
}

import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '../auth/admin-only.decorator';
import { AuthUser, CurrentUser } from '../auth/current-user.decorator';
import { ApiAuthenticated, ApiErrors, PageOf } from '../common/api-docs';
import { IdPipe } from '../common/id-param.pipe';
import { customerExample, CustomerView } from './customer.mapper';
import { CustomersService } from './customers.service';
import { CreateCustomerDto, ListCustomersQueryDto, UpdateCustomerDto } from './dto/customer.dto';
import { Idempotent } from '../common/idempotency.interceptor';

const notFound = 'customer 3f0e1c9a-5b2d-4c1e-9a7f-2d6b8e4c1a00 not found';

@ApiTags('customers')
@ApiAuthenticated()
@Controller('v1/customers')
export class CustomersController {
  constructor(private readonly customers: CustomersService) {}

  @Post()
  @Idempotent()
  @ApiOperation({ summary: 'Creates a customer' })
  @ApiCreatedResponse({ type: CustomerView, example: customerExample })
  @ApiErrors({ 400: 'email must be an email address' })
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateCustomerDto) {
    return this.customers.create(user, dto);
  }

  @Get()
  @ApiOperation({ summary: 'Lists the company\'s customers in creation order' })
  @ApiOkResponse({ type: PageOf(CustomerView), example: { data: [customerExample], nextCursor: null } })
  @ApiErrors({ 400: 'limit must be an integer from 1 to 200' })
  list(@CurrentUser() user: AuthUser, @Query() query: ListCustomersQueryDto) {
    return this.customers.list(user, query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One customer of the company' })
  @ApiOkResponse({ type: CustomerView, example: customerExample })
  @ApiErrors({ 400: '"abc" is not a valid id (ids are UUIDs)', 404: notFound })
  get(@CurrentUser() user: AuthUser, @Param('id', IdPipe) id: string) {
    return this.customers.get(user, id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Changes a customer; null clears email or group' })
  @ApiOkResponse({ type: CustomerView, example: customerExample })
  @ApiErrors({ 400: 'name must not be empty', 404: notFound })
  update(@CurrentUser() user: AuthUser, @Param('id', IdPipe) id: string, @Body() dto: UpdateCustomerDto) {
    return this.customers.update(user, id, dto);
  }

  @Delete(':id')
  @AdminOnly()
  @HttpCode(204)
  @ApiOperation({ summary: 'Deletes a customer that has no invoices or payments (admins)' })
  @ApiNoContentResponse()
  @ApiErrors({ 404: notFound, 409: 'customer 3f0e… has 2 invoice(s) and 0 payment(s); delete those first' })
  remove(@CurrentUser() user: AuthUser, @Param('id', IdPipe) id: string) {
    return this.customers.remove(user, id);
  }
}

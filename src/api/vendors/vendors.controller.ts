import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '../auth/admin-only.decorator';
import { AuthUser, CurrentUser } from '../auth/current-user.decorator';
import { ApiAuthenticated, ApiErrors, PageOf } from '../common/api-docs';
import { IdPipe } from '../common/id-param.pipe';
import { CreateVendorDto, ListVendorsQueryDto, UpdateVendorDto } from './dto/vendor.dto';
import { vendorExample, VendorView } from './vendor.mapper';
import { VendorsService } from './vendors.service';
import { Idempotent } from '../common/idempotency.interceptor';

const notFound = 'vendor 8d2b6f3e-0c4a-4e7b-b1d9-5a3c7e2f9b10 not found';

@ApiTags('vendors')
@ApiAuthenticated()
@Controller('v1/vendors')
export class VendorsController {
  constructor(private readonly vendors: VendorsService) {}

  @Post()
  @Idempotent()
  @ApiOperation({ summary: 'Creates a vendor (who sends the company bills)' })
  @ApiCreatedResponse({ type: VendorView, example: vendorExample })
  @ApiErrors({ 400: 'name must not be empty' })
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateVendorDto) {
    return this.vendors.create(user, dto);
  }

  @Get()
  @ApiOperation({ summary: 'Lists the company\'s vendors in creation order' })
  @ApiOkResponse({ type: PageOf(VendorView), example: { data: [vendorExample], nextCursor: null } })
  @ApiErrors({ 400: 'cursor is not valid: pass the nextCursor of a previous page unchanged' })
  list(@CurrentUser() user: AuthUser, @Query() query: ListVendorsQueryDto) {
    return this.vendors.list(user, query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One vendor of the company' })
  @ApiOkResponse({ type: VendorView, example: vendorExample })
  @ApiErrors({ 400: '"abc" is not a valid id (ids are UUIDs)', 404: notFound })
  get(@CurrentUser() user: AuthUser, @Param('id', IdPipe) id: string) {
    return this.vendors.get(user, id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Changes a vendor; null clears its email' })
  @ApiOkResponse({ type: VendorView, example: vendorExample })
  @ApiErrors({ 400: 'email must be an email address', 404: notFound })
  update(@CurrentUser() user: AuthUser, @Param('id', IdPipe) id: string, @Body() dto: UpdateVendorDto) {
    return this.vendors.update(user, id, dto);
  }

  @Delete(':id')
  @AdminOnly()
  @HttpCode(204)
  @ApiOperation({ summary: 'Deletes a vendor that has no bills (admins)' })
  @ApiNoContentResponse()
  @ApiErrors({ 404: notFound, 409: 'vendor 8d2b… has 3 bill(s); delete them first' })
  remove(@CurrentUser() user: AuthUser, @Param('id', IdPipe) id: string) {
    return this.vendors.remove(user, id);
  }
}

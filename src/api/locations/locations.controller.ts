import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '../auth/admin-only.decorator';
import { AuthUser, CurrentUser } from '../auth/current-user.decorator';
import { ApiAuthenticated, ApiErrors, PageOf } from '../common/api-docs';
import { IdPipe } from '../common/id-param.pipe';
import { CreateLocationDto, ListLocationsQueryDto, UpdateLocationDto } from './dto/location.dto';
import { locationExample, LocationView } from './location.mapper';
import { LocationsService } from './locations.service';
import { Idempotent } from '../common/idempotency.interceptor';

const notFound = 'location b7e4a1c2-9d3f-4a6b-8c5e-1f2a3b4c5d60 not found';

@ApiTags('locations')
@ApiAuthenticated()
@Controller('v1/locations')
export class LocationsController {
  constructor(private readonly locations: LocationsService) {}

  @Post()
  @Idempotent()
  @ApiOperation({ summary: 'Creates a location (a branch or site invoices and bills can be tagged with)' })
  @ApiCreatedResponse({ type: LocationView, example: locationExample })
  @ApiErrors({ 400: 'name must not be empty' })
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateLocationDto) {
    return this.locations.create(user, dto);
  }

  @Get()
  @ApiOperation({ summary: 'Lists the company\'s locations in creation order' })
  @ApiOkResponse({ type: PageOf(LocationView), example: { data: [locationExample], nextCursor: null } })
  @ApiErrors({ 400: 'limit must be an integer from 1 to 200' })
  list(@CurrentUser() user: AuthUser, @Query() query: ListLocationsQueryDto) {
    return this.locations.list(user, query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One location of the company' })
  @ApiOkResponse({ type: LocationView, example: locationExample })
  @ApiErrors({ 400: '"abc" is not a valid id (ids are UUIDs)', 404: notFound })
  get(@CurrentUser() user: AuthUser, @Param('id', IdPipe) id: string) {
    return this.locations.get(user, id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Renames a location' })
  @ApiOkResponse({ type: LocationView, example: locationExample })
  @ApiErrors({ 400: 'name must not be empty', 404: notFound })
  update(@CurrentUser() user: AuthUser, @Param('id', IdPipe) id: string, @Body() dto: UpdateLocationDto) {
    return this.locations.update(user, id, dto);
  }

  @Delete(':id')
  @AdminOnly()
  @HttpCode(204)
  @ApiOperation({ summary: 'Deletes a location that no invoice or bill uses (admins)' })
  @ApiNoContentResponse()
  @ApiErrors({ 404: notFound, 409: 'location b7e4… is used by 1 invoice(s) and 0 bill(s); move or delete them first' })
  remove(@CurrentUser() user: AuthUser, @Param('id', IdPipe) id: string) {
    return this.locations.remove(user, id);
  }
}

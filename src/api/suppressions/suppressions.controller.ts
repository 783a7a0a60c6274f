import { Controller, Delete, Get, HttpCode, Param, Query } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '../auth/admin-only.decorator';
import { AuthUser, CurrentUser } from '../auth/current-user.decorator';
import { ApiAuthenticated, ApiErrors, PageOf } from '../common/api-docs';
import { IdPipe } from '../common/id-param.pipe';
import { ListSuppressionsQueryDto } from './dto/suppression.dto';
import { suppressionExample, SuppressionView } from './suppression.mapper';
import { SuppressionsService } from './suppressions.service';

/** Addresses of the company that nothing is sent to, suppressed by the bounces and complaints that came back. */
@ApiTags('suppressions')
@ApiAuthenticated()
@Controller('v1/suppressions')
export class SuppressionsController {
  constructor(private readonly suppressions: SuppressionsService) {}

  @Get()
  @ApiOperation({ summary: 'The company\'s suppressed addresses, newest first' })
  @ApiOkResponse({ type: PageOf(SuppressionView), example: { data: [suppressionExample], nextCursor: null } })
  @ApiErrors({ 400: 'limit must be an integer from 1 to 200' })
  list(@CurrentUser() user: AuthUser, @Query() query: ListSuppressionsQueryDto) {
    return this.suppressions.list(user, query);
  }

  @Delete(':id')
  @AdminOnly()
  @HttpCode(204)
  @ApiOperation({ summary: 'Deletes a suppression (admins): the address may be mailed again and its customers\' emailStatus is ok' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors({ 400: '"abc" is not a valid id (ids are UUIDs)', 404: 'suppression 7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d not found' })
  remove(@CurrentUser() user: AuthUser, @Param('id', IdPipe) id: string): Promise<void> {
    return this.suppressions.remove(user, id);
  }
}

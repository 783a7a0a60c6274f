import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '../auth/admin-only.decorator';
import { type AuthUser, CurrentUser } from '../auth/current-user.decorator';
import { ApiAuthenticated, ApiErrors, PageOf } from '../common/api-docs';
import { IdPipe } from '../common/id-param.pipe';
import { Idempotent } from '../common/idempotency.interceptor';
import { ListQueryDto } from '../common/pagination';
import { approverGroupExample, ApproverGroupView } from './approver-group.view';
import { ApproverGroupsService } from './approver-groups.service';
import { CreateApproverGroupDto, UpdateApproverGroupDto } from './dto/approver-group.dto';

const notFound = 'approver group 3e4f5a6b-7c8d-4e9f-8a0b-1c2d3e4f5a6b not found';
const memberNotFound = 'user 0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d not found';
const nameTaken = 'an approver group named "Finance" already exists in this company (names are unique, case aside)';

@ApiTags('approvals')
@ApiAuthenticated()
@Controller('v1/approver-groups')
export class ApproverGroupsController {
  constructor(private readonly groups: ApproverGroupsService) {}

  @Post()
  @Idempotent()
  @AdminOnly()
  @ApiOperation({ summary: 'Creates an approver group (admins only): a name unique in the company and its members, active users of the company' })
  @ApiCreatedResponse({ type: ApproverGroupView, example: approverGroupExample })
  @ApiErrors({ 404: memberNotFound, 409: nameTaken })
  create(@CurrentUser() caller: AuthUser, @Body() dto: CreateApproverGroupDto) {
    return this.groups.create(caller, dto);
  }

  @Get()
  @ApiOperation({ summary: 'Lists the approver groups of the caller\'s company, in creation order' })
  @ApiOkResponse({ type: PageOf(ApproverGroupView), example: { data: [approverGroupExample], nextCursor: null } })
  list(@CurrentUser() caller: AuthUser, @Query() query: ListQueryDto) {
    return this.groups.list(caller, query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One approver group and its members' })
  @ApiOkResponse({ type: ApproverGroupView, example: approverGroupExample })
  @ApiErrors({ 404: notFound })
  get(@CurrentUser() caller: AuthUser, @Param('id', IdPipe) id: string) {
    return this.groups.get(caller, id);
  }

  @Patch(':id')
  @AdminOnly()
  @ApiOperation({
    summary: 'Renames an approver group or replaces its members (admins only); omitted fields stay. A member removed loses the ' +
      'seats the group gave them in steps of pending approvals (the runs are told), unless they hold one otherwise',
  })
  @ApiOkResponse({ type: ApproverGroupView, example: approverGroupExample })
  @ApiErrors({ 404: notFound, 409: nameTaken })
  update(@CurrentUser() caller: AuthUser, @Param('id', IdPipe) id: string, @Body() dto: UpdateApproverGroupDto) {
    return this.groups.update(caller, id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @AdminOnly()
  @ApiOperation({ summary: 'Deletes an approver group (admins only); refused while an active workflow definition names it' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors({
    404: notFound,
    409: 'approver group 3e4f… is named by the active workflow definition(s) "Large invoices" (7e8f…); remove it from them, or deactivate them, first',
  })
  async remove(@CurrentUser() caller: AuthUser, @Param('id', IdPipe) id: string): Promise<void> {
    await this.groups.remove(caller, id);
  }
}

import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiAuthenticated, ApiErrors, PageOf } from '../common/api-docs';
import { AdminOnly } from '../auth/admin-only.decorator';
import { AuthUser, CurrentUser } from '../auth/current-user.decorator';
import { IdPipe } from '../common/id-param.pipe';
import { ListQueryDto } from '../common/pagination';
import { CreateUserDto } from './dto/create-user.dto';
import { DeactivateUserDto } from './dto/deactivate-user.dto';
import { UpdateUserDto } from './dto/update-user.dto';
import { ApiKeyView, CreatedUserView, DeactivatedUserView, IssuedApiKeyView, userExample, UserView } from './user.mapper';
import { UsersService } from './users.service';
import { Idempotent } from '../common/idempotency.interceptor';

const keyExample = {
  id: '1d2e3f4a-5b6c-4d7e-8f9a-0b1c2d3e4f5a', userId: userExample.id, prefix: 'a1B2c3D4', createdAt: '2026-11-28T12:00:00.000Z', revokedAt: null,
};
const notFound = 'user 0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d not found';

@ApiTags('users')
@ApiAuthenticated()
@Controller('v1')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Post('users')
  @Idempotent()
  @AdminOnly()
  @ApiOperation({
    summary: 'Invites a user to the caller\'s company: emails them a sign-in link valid 7 days; no API key (issue one with POST /v1/users/{id}/api-keys)',
  })
  @ApiCreatedResponse({ type: CreatedUserView, example: { user: userExample } })
  @ApiErrors({ 409: 'a user with the email sam@acme.test already exists in this company' })
  create(@CurrentUser() caller: AuthUser, @Body() dto: CreateUserDto) {
    return this.users.create(caller, dto);
  }

  @Get('users')
  @ApiOperation({ summary: 'Lists the users of the caller\'s company' })
  @ApiOkResponse({ type: PageOf(UserView), example: { data: [userExample], nextCursor: null } })
  list(@CurrentUser() caller: AuthUser, @Query() query: ListQueryDto) {
    return this.users.list(caller, query);
  }

  @Get('users/me')
  @ApiOperation({ summary: 'The caller' })
  @ApiOkResponse({ type: UserView, example: userExample })
  me(@CurrentUser() caller: AuthUser) {
    return this.users.get(caller, caller.id);
  }

  @Get('users/:id')
  @ApiOperation({ summary: 'One user of the caller\'s company' })
  @ApiOkResponse({ type: UserView, example: userExample })
  @ApiErrors({ 404: notFound })
  get(@CurrentUser() caller: AuthUser, @Param('id', IdPipe) id: string) {
    return this.users.get(caller, id);
  }

  @Patch('users/:id')
  @AdminOnly()
  @ApiOperation({
    summary: 'Changes a user\'s name, role or approval limit (admins only); omitted fields stay. The company keeps at least one active admin. ' +
      'A new role applies to the user\'s next request (within 5 s on every API process). A limit lowered takes the seats it no longer ' +
      'covers in steps of pending approvals routed by limit.',
  })
  @ApiOkResponse({ type: UserView, example: { ...userExample, role: 'admin' } })
  @ApiErrors({
    404: notFound,
    409: 'user 0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d is the last active admin of the company; make another user admin first',
  })
  update(@CurrentUser() caller: AuthUser, @Param('id', IdPipe) id: string, @Body() dto: UpdateUserDto) {
    return this.users.update(caller, id, dto);
  }

  @Post('users/:id/deactivate')
  @Idempotent()
  @HttpCode(200)
  @AdminOnly()
  @ApiOperation({
    summary: 'Deactivates a user (offboarding): their API keys are revoked (401), their email links answer 410, delegations to them end, ' +
      'their console sessions end, the approval seats they hold in pending approvals move to handoverTo, and no new approval asks them',
  })
  @ApiOkResponse({
    type: DeactivatedUserView,
    example: {
      user: { ...userExample, status: 'inactive' }, revokedKeys: 1,
      handedOver: [{ invoiceId: '5c9d2e7f-1a3b-4c8d-9e0f-6a7b8c9d0e12', invoiceNumber: 'INV-1042', to: '1d2e3f4a-5b6c-4d7e-8f9a-0b1c2d3e4f5a' }],
      definitions: [{ id: '7e8f9a0b-1c2d-4e3f-8a4b-5c6d7e8f9a0b', name: 'Large invoices', templateKey: 'invoice-approval', status: 'active' }],
    },
  })
  @ApiErrors({
    404: notFound,
    409: 'user 0a1b… holds approval seats of pending invoices INV-1042; give handoverTo: an active user who receives them',
  })
  deactivate(@CurrentUser() caller: AuthUser, @Param('id', IdPipe) id: string, @Body() dto: DeactivateUserDto) {
    return this.users.deactivate(caller, id, dto);
  }

  @Post('users/:id/reactivate')
  @Idempotent()
  @HttpCode(200)
  @AdminOnly()
  @ApiOperation({ summary: 'Reactivates a deactivated user; keys revoked at deactivation stay revoked (issue a new one)' })
  @ApiOkResponse({ type: UserView, example: userExample })
  @ApiErrors({ 404: notFound, 409: 'user 0a1b… is already active' })
  reactivate(@CurrentUser() caller: AuthUser, @Param('id', IdPipe) id: string) {
    return this.users.reactivate(caller, id);
  }

  @Post('users/:id/api-keys')
  @Idempotent()
  @ApiOperation({ summary: 'Issues another API key for a user (admins, or the user itself); the key is shown once' })
  @ApiCreatedResponse({ type: IssuedApiKeyView, example: { ...keyExample, apiKey: 'rlk_a1B2c3D4_…' } })
  @ApiErrors({ 403: 'only an admin or the user itself may do this', 404: notFound })
  issueKey(@CurrentUser() caller: AuthUser, @Param('id', IdPipe) id: string) {
    return this.users.issueKey(caller, id);
  }

  @Get('users/:id/api-keys')
  @ApiOperation({ summary: 'Lists the API keys of a user (admins, or the user itself), revoked ones included' })
  @ApiOkResponse({ type: PageOf(ApiKeyView), example: { data: [keyExample], nextCursor: null } })
  @ApiErrors({ 403: 'only an admin or the user itself may do this', 404: notFound })
  listKeys(@CurrentUser() caller: AuthUser, @Param('id', IdPipe) id: string) {
    return this.users.listKeys(caller, id);
  }

  @Delete('api-keys/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revokes an API key (admins, or the key\'s owner); later calls with it get 401' })
  @ApiNoContentResponse({ description: 'Revoked' })
  @ApiErrors({ 403: 'only an admin or the key\'s owner may do this', 404: 'API key 1d2e3f4a-5b6c-4d7e-8f9a-0b1c2d3e4f5a not found' })
  revokeKey(@CurrentUser() caller: AuthUser, @Param('id', IdPipe) id: string) {
    return this.users.revokeKey(caller, id);
  }
}

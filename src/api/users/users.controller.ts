import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse,
  ApiOperation, ApiTags,
} from '@nestjs/swagger';
import { AdminOnly } from '../auth/admin-only.decorator';
import { AuthUser, CurrentUser } from '../auth/current-user.decorator';
import { IdPipe } from '../common/id-param.pipe';
import { ListQueryDto } from '../common/pagination';
import { CreateUserDto } from './dto/create-user.dto';
import { UsersService } from './users.service';
import { Idempotent } from '../common/idempotency.interceptor';

const userExample = { id: '…', companyId: '…', name: 'Sam Standard', email: 'sam@acme.test', role: 'standard', createdAt: '2026-11-28T12:00:00.000Z' };

@ApiTags('users')
@ApiBearerAuth()
@Controller('v1')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Post('users')
  @Idempotent()
  @AdminOnly()
  @ApiOperation({ summary: 'Creates a user of the caller\'s company and its first API key, shown once' })
  @ApiCreatedResponse({ schema: { example: { user: userExample, apiKey: 'rlk_…' } } })
  @ApiConflictResponse({ description: 'The email is already used in this company' })
  create(@CurrentUser() caller: AuthUser, @Body() dto: CreateUserDto) {
    return this.users.create(caller, dto);
  }

  @Get('users')
  @ApiOkResponse({ schema: { example: { data: [userExample], nextCursor: null } } })
  list(@CurrentUser() caller: AuthUser, @Query() query: ListQueryDto) {
    return this.users.list(caller, query);
  }

  @Get('users/me')
  @ApiOkResponse({ schema: { example: userExample } })
  me(@CurrentUser() caller: AuthUser) {
    return this.users.get(caller, caller.id);
  }

  @Get('users/:id')
  @ApiOkResponse({ schema: { example: userExample } })
  @ApiNotFoundResponse({ description: 'No such user in the caller\'s company' })
  get(@CurrentUser() caller: AuthUser, @Param('id', IdPipe) id: string) {
    return this.users.get(caller, id);
  }

  @Post('users/:id/api-keys')
  @Idempotent()
  @ApiOperation({ summary: 'Issues another API key for a user (admins, or the user itself); the key is shown once' })
  @ApiCreatedResponse({ schema: { example: { id: '…', userId: '…', prefix: 'a1B2c3D4', createdAt: '…', revokedAt: null, apiKey: 'rlk_…' } } })
  issueKey(@CurrentUser() caller: AuthUser, @Param('id', IdPipe) id: string) {
    return this.users.issueKey(caller, id);
  }

  @Get('users/:id/api-keys')
  listKeys(@CurrentUser() caller: AuthUser, @Param('id', IdPipe) id: string) {
    return this.users.listKeys(caller, id);
  }

  @Delete('api-keys/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revokes an API key (admins, or the key\'s owner); later calls with it get 401' })
  @ApiNoContentResponse()
  revokeKey(@CurrentUser() caller: AuthUser, @Param('id', IdPipe) id: string) {
    return this.users.revokeKey(caller, id);
  }
}

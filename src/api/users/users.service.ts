import { ConflictException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ApiKeysRepository } from '../../db/api-keys.repository';
import { User } from '../../db/entities';
import { mapPage } from '../../db/pagination';
import { UsersRepository } from '../../db/users.repository';
import { AuthCache } from '../auth/auth-cache';
import { AuthUser } from '../auth/current-user.decorator';
import { ListQueryDto } from '../common/pagination';
import { ApiKeysService } from './api-keys.service';
import { CreateUserDto } from './dto/create-user.dto';
import { toApiKeyView, toUserView } from './user.mapper';
import { audit } from '../audit/audit-trail';

@Injectable()
export class UsersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly apiKeys: ApiKeysService,
    private readonly authCache: AuthCache,
  ) {}

  async create(caller: AuthUser, dto: CreateUserDto) {
    const email = dto.email.toLowerCase();
    return this.dataSource.transaction(async (manager) => {
      const users = new UsersRepository(manager);
      if (await users.existsWithEmail(caller.companyId, email)) {
        throw new ConflictException(`a user with email "${email}" already exists in this company`);
      }
      const user = await users.insert({ companyId: caller.companyId, name: dto.name.trim(), email, role: dto.role });
      await audit.record(manager, caller, { type: 'user.created', targetId: user.id, data: { role: user.role } });
      const { key } = await this.apiKeys.issue(manager, caller.companyId, user.id, caller);
      return { user: toUserView(user), apiKey: key };
    });
  }

  async list(caller: AuthUser, query: ListQueryDto) {
    return mapPage(await new UsersRepository(this.dataSource).findPage(caller.companyId, query), toUserView);
  }

  async get(caller: AuthUser, id: string) {
    return toUserView(await this.find(caller, id));
  }

  async issueKey(caller: AuthUser, userId: string) {
    const user = await this.find(caller, userId);
    this.assertSelfOrAdmin(caller, user.id);
    const { entity, key } = await this.dataSource.transaction((m) => this.apiKeys.issue(m, caller.companyId, user.id, caller));
    return { ...toApiKeyView(entity), apiKey: key };
  }

  async listKeys(caller: AuthUser, userId: string) {
    const user = await this.find(caller, userId);
    this.assertSelfOrAdmin(caller, user.id);
    const keys = await new ApiKeysRepository(this.dataSource).findOfUser(user.id);
    return { data: keys.map(toApiKeyView), nextCursor: null };
  }

  async revokeKey(caller: AuthUser, keyId: string) {
    const keys = new ApiKeysRepository(this.dataSource);
    const key = await keys.findOwned(caller.companyId, keyId);
    if (!key) throw new NotFoundException(`API key ${keyId} not found`);
    this.assertSelfOrAdmin(caller, key.userId);
    await this.dataSource.transaction((m) => this.apiKeys.revoke(m, caller, key));
    this.authCache.forgetKey(key.id);
  }

  private async find(caller: AuthUser, id: string): Promise<User> {
    const user = await new UsersRepository(this.dataSource).findOwned(caller.companyId, id);
    if (!user) throw new NotFoundException(`user ${id} not found`);
    return user;
  }

  private assertSelfOrAdmin(caller: AuthUser, userId: string) {
    if (caller.role !== 'admin' && caller.id !== userId) {
      throw new ForbiddenException('only an admin may manage the API keys of another user');
    }
  }
}

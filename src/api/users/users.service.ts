import { ConflictException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull } from 'typeorm';
import { ApiKey, User } from '../../db/entities';
import { AuthCache } from '../auth/auth-cache';
import { AuthUser } from '../auth/current-user.decorator';
import { paginate } from '../../db/pagination';
import { ListQueryDto } from '../common/pagination';
import { ApiKeysService } from './api-keys.service';
import { CreateUserDto } from './dto/create-user.dto';
import { toApiKeyView, toUserView } from './user.mapper';

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
      if (await manager.getRepository(User).existsBy({ companyId: caller.companyId, email })) {
        throw new ConflictException(`a user with email "${email}" already exists in this company`);
      }
      const user = await manager.save(manager.create(User, { companyId: caller.companyId, name: dto.name.trim(), email, role: dto.role }));
      const { key } = await this.apiKeys.issue(manager, caller.companyId, user.id);
      return { user: toUserView(user), apiKey: key };
    });
  }

  list(caller: AuthUser, query: ListQueryDto) {
    const qb = this.dataSource.getRepository(User).createQueryBuilder('u').where('u.company_id = :c', { c: caller.companyId });
    return paginate(qb, query, toUserView);
  }

  async get(caller: AuthUser, id: string) {
    return toUserView(await this.find(caller, id));
  }

  async issueKey(caller: AuthUser, userId: string) {
    const user = await this.find(caller, userId);
    this.assertSelfOrAdmin(caller, user.id);
    const { entity, key } = await this.apiKeys.issue(this.dataSource.manager, caller.companyId, user.id);
    return { ...toApiKeyView(entity), apiKey: key };
  }

  async listKeys(caller: AuthUser, userId: string) {
    const user = await this.find(caller, userId);
    this.assertSelfOrAdmin(caller, user.id);
    const keys = await this.dataSource.getRepository(ApiKey).find({ where: { userId: user.id }, order: { createdAt: 'ASC' } });
    return { data: keys.map(toApiKeyView), nextCursor: null };
  }

  async revokeKey(caller: AuthUser, keyId: string) {
    const repo = this.dataSource.getRepository(ApiKey);
    const key = await repo.findOneBy({ id: keyId, companyId: caller.companyId });
    if (!key) throw new NotFoundException(`API key ${keyId} not found`);
    this.assertSelfOrAdmin(caller, key.userId);
    await repo.update({ id: key.id, revokedAt: IsNull() }, { revokedAt: new Date() });
    this.authCache.forgetKey(key.id);
  }

  private async find(caller: AuthUser, id: string): Promise<User> {
    const user = await this.dataSource.getRepository(User).findOneBy({ id, companyId: caller.companyId });
    if (!user) throw new NotFoundException(`user ${id} not found`);
    return user;
  }

  private assertSelfOrAdmin(caller: AuthUser, userId: string) {
    if (caller.role !== 'admin' && caller.id !== userId) {
      throw new ForbiddenException('only an admin may manage the API keys of another user');
    }
  }
}

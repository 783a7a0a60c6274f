import { CanActivate, ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Request } from 'express';
import { DataSource } from 'typeorm';
import { ApiKeysRepository } from '../../db/api-keys.repository';
import { ADMIN_ONLY } from './admin-only.decorator';
import { AuthCache } from './auth-cache';
import { hashApiKey } from './api-key';
import { AuthUser } from './current-user.decorator';
import { IS_PUBLIC } from './public.decorator';

/** Every route needs `Authorization: Bearer <apiKey>` unless marked @Public(); one indexed query per key and AuthCache.TTL_MS. */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly keys: ApiKeysRepository;

  constructor(
    private readonly reflector: Reflector,
    @InjectDataSource() dataSource: DataSource,
    private readonly cache: AuthCache,
  ) {
    this.keys = new ApiKeysRepository(dataSource);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const req = context.switchToHttp().getRequest<Request & { user?: AuthUser }>();
    const header = req.headers.authorization;
    if (!header) throw new UnauthorizedException('missing Authorization header: send "Authorization: Bearer <apiKey>"');
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new UnauthorizedException('the Authorization header must be "Bearer <apiKey>"');
    const keyHash = hashApiKey(match[1]);
    req.user = { ...(this.cache.get(keyHash) ?? (await this.lookup(keyHash))), clientAddress: req.ip };
    if (this.reflector.getAllAndOverride<boolean>(ADMIN_ONLY, targets) && req.user.role !== 'admin') {
      throw new ForbiddenException('only an admin of the company may do this');
    }
    return true;
  }

  private async lookup(keyHash: string): Promise<AuthUser> {
    const row = await this.keys.findOwner(keyHash);
    if (!row) throw new UnauthorizedException('the API key is unknown or has been revoked');
    const user: AuthUser = {
      id: row.user_id, companyId: row.company_id, role: row.role, name: row.user_name, email: row.email, apiKeyId: row.key_id,
      company: { id: row.company_id, name: row.company_name, locale: row.locale, timezone: row.timezone, currency: row.currency, plan: row.plan },
    };
    this.cache.set(keyHash, user);
    return user;
  }
}

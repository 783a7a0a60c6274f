import { CanActivate, ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Request } from 'express';
import { DataSource } from 'typeorm';
import { ApiKeysRepository } from '../../db/api-keys.repository';
import { SessionsRepository } from '../../db/sessions.repository';
import { isSessionLive, needsTouch, SESSION_TOUCH_MS } from '../../domain/sessions';
import { ADMIN_ONLY } from './admin-only.decorator';
import { AuthCache } from './auth-cache';
import { hashApiKey } from './api-key';
import { AuthUser } from './current-user.decorator';
import { IS_PUBLIC } from './public.decorator';
import { CSRF_HEADER, readCookie, SESSION_COOKIE } from './session-cookies';
import { isSessionToken, matchesTokenHash, sessionTokenHash } from './session-tokens';

export const SESSION_ENDED = 'your session has ended: sign in again';
export const CSRF_MISSING = 'send the X-CSRF-Token header of your session';

/**
 * Every route needs a credential unless marked @Public(): `Authorization: Bearer <apiKey>` (one indexed query per key
 * and AuthCache.TTL_MS), or the console's session cookie with its CSRF token in X-CSRF-Token on every method (one
 * indexed query per request, so that an ended session or a deactivated user is refused at once). A Bearer header wins.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly keys: ApiKeysRepository;
  private readonly sessions: SessionsRepository;

  constructor(
    private readonly reflector: Reflector,
    @InjectDataSource() dataSource: DataSource,
    private readonly cache: AuthCache,
  ) {
    this.keys = new ApiKeysRepository(dataSource);
    this.sessions = new SessionsRepository(dataSource);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const req = context.switchToHttp().getRequest<Request & { user?: AuthUser }>();
    const header = req.headers.authorization;
    const session = header ? undefined : readCookie(req.headers.cookie, SESSION_COOKIE);
    if (session !== undefined) {
      req.user = { ...(await this.sessionUser(session, req.headers[CSRF_HEADER.toLowerCase()])), clientAddress: req.ip };
    } else {
      if (!header) throw new UnauthorizedException('missing Authorization header: send "Authorization: Bearer <apiKey>"');
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      if (!match) throw new UnauthorizedException('the Authorization header must be "Bearer <apiKey>"');
      const keyHash = hashApiKey(match[1]);
      req.user = { ...(this.cache.get(keyHash) ?? (await this.lookup(keyHash))), clientAddress: req.ip };
    }
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

  /**
   * The session's user, when the session is open (not ended, its user active, within its idle and absolute limits)
   * and the request carries its CSRF token: a page of another site can make the browser send the cookie, but it can
   * neither read the token nor set the header.
   */
  private async sessionUser(token: string, csrf: string | string[] | undefined): Promise<AuthUser> {
    const row = isSessionToken(token) ? await this.sessions.findLive(sessionTokenHash(token)) : undefined;
    const now = new Date();
    const times = row && { createdAt: row.created_at, lastSeenAt: row.last_seen_at };
    if (!row || !times || !isSessionLive(times, now)) throw new UnauthorizedException(SESSION_ENDED);
    if (!isSessionToken(csrf) || !matchesTokenHash(csrf, row.csrf_hash)) throw new ForbiddenException(CSRF_MISSING);
    if (needsTouch(times, now)) await this.sessions.touch(row.id, SESSION_TOUCH_MS);
    return {
      id: row.user_id, companyId: row.company_id, role: row.role, name: row.user_name, email: row.email, apiKeyId: null, sessionId: row.id,
      company: { id: row.company_id, name: row.company_name, locale: row.locale, timezone: row.timezone, currency: row.currency, plan: row.plan },
    };
  }
}

import {
  applyDecorators, CanActivate, ExecutionContext, Global, HttpException, HttpStatus, Inject, Injectable, Module, SetMetadata, UseGuards,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import { Config } from '../../config';
import { postgresRateLimits, RATE_LIMITS, rateLimitRules, type RateLimits } from '../../infra/rate-limits';
import type { AuthUser } from '../auth/current-user.decorator';
import { CONFIG } from '../config/config.module';
import { ApiErrors } from './api-docs';

/** A 429 in the API's error body, with Retry-After: the seconds until the window that refused it ends. */
export function tooManyRequests(res: Response, retryAfterSeconds: number, message: string): HttpException {
  res.setHeader('Retry-After', String(retryAfterSeconds));
  return new HttpException(`${message}; try again in ${retryAfterSeconds} s`, HttpStatus.TOO_MANY_REQUESTS);
}

const LIMITED = 'relance:rate-limited';

/** What the API counts per user. */
export type PerUserKind = 'delegation' | 'decision';

const PER_USER_MESSAGES: Record<PerUserKind, (config: Config) => string> = {
  delegation: (c) => `too many changes to your delegation: at most ${c.limits.delegationChangesPerDay} a day`,
  decision: (c) => `too many approval decisions: at most ${c.limits.decisionsPerMinute} a minute, each item of a bulk call counting as one`,
};

const EXAMPLE_429: Record<PerUserKind, string> = {
  delegation: 'too many changes to your delegation: at most 20 a day; try again in 3600 s',
  decision: 'too many approval decisions: at most 600 a minute, each item of a bulk call counting as one; try again in 42 s',
};

/** The caller's allowance of a kind, counted whichever API process answers; past it, a 429 with Retry-After. */
@Injectable()
export class PerUserAllowance {
  constructor(@Inject(RATE_LIMITS) private readonly limits: RateLimits, @Inject(CONFIG) private readonly config: Config) {}

  /** `points`: how many uses the call counts as (a bulk decision counts each of its items). */
  async consume(kind: PerUserKind, user: Pick<AuthUser, 'id'>, res: Response, points = 1): Promise<void> {
    const verdict = await this.limits.consume(kind, user.id, points);
    if (!verdict.allowed) throw tooManyRequests(res, verdict.retryAfterSeconds, PER_USER_MESSAGES[kind](this.config));
  }
}

/** Each call of the route counts against the caller's allowance of `kind` (RateLimits); past it, a 429. */
@Injectable()
export class PerUserRateLimitGuard implements CanActivate {
  constructor(private readonly reflector: Reflector, private readonly allowance: PerUserAllowance) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const kind = this.reflector.get<PerUserKind>(LIMITED, context.getHandler());
    const req = context.switchToHttp().getRequest<Request & { user: AuthUser }>();
    await this.allowance.consume(kind, req.user, context.switchToHttp().getResponse<Response>());
    return true;
  }
}

/** The 429 a route counted against the caller's allowance of `kind` may answer. */
export function ApiRateLimited(kind: PerUserKind): MethodDecorator & ClassDecorator {
  return ApiErrors({ 429: EXAMPLE_429[kind] });
}

/** The route counts against its caller's allowance of `kind`, whichever API process answers. */
export function RateLimitedPerUser(kind: PerUserKind): MethodDecorator {
  return applyDecorators(SetMetadata(LIMITED, kind), UseGuards(PerUserRateLimitGuard), ApiRateLimited(kind));
}

/** The API's RateLimits, counted in Postgres (RATE_LIMITS). */
@Global()
@Module({
  providers: [{
    provide: RATE_LIMITS,
    inject: [getDataSourceToken(), CONFIG],
    useFactory: (dataSource: DataSource, config: Config): RateLimits => postgresRateLimits(dataSource, rateLimitRules(config.limits)),
  }, PerUserAllowance],
  exports: [RATE_LIMITS, PerUserAllowance],
})
export class RateLimitsModule {}

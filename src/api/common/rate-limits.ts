import {
  applyDecorators, CanActivate, ExecutionContext, Global, HttpException, HttpStatus, Inject, Injectable, Module, SetMetadata, UseGuards,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import { Config } from '../../config';
import { postgresRateLimits, RATE_LIMITS, rateLimitRules, type RateLimitKind, type RateLimits } from '../../infra/rate-limits';
import type { AuthUser } from '../auth/current-user.decorator';
import { CONFIG } from '../config/config.module';
import { ApiErrors } from './api-docs';

/** The API's RateLimits, counted in Postgres (RATE_LIMITS). */
@Global()
@Module({
  providers: [{
    provide: RATE_LIMITS,
    inject: [getDataSourceToken(), CONFIG],
    useFactory: (dataSource: DataSource, config: Config): RateLimits => postgresRateLimits(dataSource, rateLimitRules(config.limits)),
  }],
  exports: [RATE_LIMITS],
})
export class RateLimitsModule {}

/** A 429 in the API's error body, with Retry-After: the seconds until the window that refused it ends. */
export function tooManyRequests(res: Response, retryAfterSeconds: number, message: string): HttpException {
  res.setHeader('Retry-After', String(retryAfterSeconds));
  return new HttpException(`${message}; try again in ${retryAfterSeconds} s`, HttpStatus.TOO_MANY_REQUESTS);
}

const LIMITED = 'relance:rate-limited';

const PER_USER_MESSAGES: Partial<Record<RateLimitKind, (config: Config) => string>> = {
  delegation: (c) => `too many changes to your delegation: at most ${c.limits.delegationChangesPerDay} a day`,
};

/** Each call of the route counts against the caller's allowance of `kind` (RateLimits); past it, a 429. */
@Injectable()
export class PerUserRateLimitGuard implements CanActivate {
  constructor(private readonly reflector: Reflector, @Inject(RATE_LIMITS) private readonly limits: RateLimits, @Inject(CONFIG) private readonly config: Config) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const kind = this.reflector.get<RateLimitKind>(LIMITED, context.getHandler());
    const req = context.switchToHttp().getRequest<Request & { user: AuthUser }>();
    const verdict = await this.limits.consume(kind, req.user.id);
    if (verdict.allowed) return true;
    throw tooManyRequests(context.switchToHttp().getResponse<Response>(), verdict.retryAfterSeconds, PER_USER_MESSAGES[kind]!(this.config));
  }
}

/** The route counts against its caller's allowance of `kind`, whichever API process answers. */
export function RateLimitedPerUser(kind: 'delegation'): MethodDecorator {
  return applyDecorators(
    SetMetadata(LIMITED, kind),
    UseGuards(PerUserRateLimitGuard),
    ApiErrors({ 429: 'too many changes to your delegation: at most 20 a day; try again in 3600 s' }),
  );
}

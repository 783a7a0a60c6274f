import { CanActivate, ExecutionContext, ForbiddenException, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Config } from '../../config';
import { RATE_LIMITS, type RateLimits } from '../../infra/rate-limits';
import { matchesSecret, secretDigest } from '../../infra/shared-secret';
import { CONFIG } from '../config/config.module';
import { tooManyRequests } from '../common/rate-limits';

export const SIGNUP_TOKEN_HEADER = 'X-Signup-Token';

/**
 * Who may sign up (RELANCE_SIGNUP), and how often from one client address (RELANCE_SIGNUP_RATE, counted across API
 * processes). Every attempt past the mode counts, a wrong token too: guessing the token is limited like signing up.
 */
@Injectable()
export class SignupGuard implements CanActivate {
  private readonly token?: Buffer;

  constructor(@Inject(CONFIG) private readonly config: Config, @Inject(RATE_LIMITS) private readonly limits: RateLimits) {
    if (config.signup.mode === 'token') this.token = secretDigest(config.signup.token);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.config.signup.mode === 'closed') {
      throw new ForbiddenException('sign-up is closed on this server: ask its operator to create your company');
    }
    const req = context.switchToHttp().getRequest<Request>();
    const verdict = await this.limits.consume('signup', req.ip ?? 'unknown');
    if (!verdict.allowed) {
      throw tooManyRequests(context.switchToHttp().getResponse<Response>(), verdict.retryAfterSeconds,
        `too many sign-ups from this address: at most ${this.config.limits.signupsPerHour} an hour`);
    }
    if (this.token) {
      const given = req.headers[SIGNUP_TOKEN_HEADER.toLowerCase()];
      if (typeof given !== 'string' || !given) {
        throw new UnauthorizedException(`sign-up on this server needs an invitation: send its token in the ${SIGNUP_TOKEN_HEADER} header`);
      }
      if (!matchesSecret(given, this.token)) throw new ForbiddenException(`the ${SIGNUP_TOKEN_HEADER} header is not a valid sign-up token`);
    }
    return true;
  }
}

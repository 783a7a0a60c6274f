import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Plan } from '../../db/entities';

export interface AuthCompany {
  id: string;
  name: string;
  locale: string;
  timezone: string;
  currency: string;
  plan: Plan;
}

/** The caller, as authenticated by its API key or its console session. */
export interface AuthUser {
  id: string;
  companyId: string;
  role: 'admin' | 'standard';
  name: string;
  email: string;
  /** The API key of the request; null for a console session. */
  apiKeyId: string | null;
  /** The console session of the request (cookie and CSRF token); absent for an API key. */
  sessionId?: string;
  company: AuthCompany;
  /** Where this request came from (req.ip, through TRUST_PROXY_HOPS proxies); per request, never cached with the key. */
  clientAddress?: string;
}

export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthUser => {
  return ctx.switchToHttp().getRequest<{ user: AuthUser }>().user;
});

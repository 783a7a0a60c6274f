import { createParamDecorator, ExecutionContext, UnauthorizedException } from '@nestjs/common';

// Stub of the lead's auth contract (approval branch): the real guard resolves the API key and sets `request.user`.
export interface AuthUser {
  id: string;
  companyId: string;
  role: 'admin' | 'standard';
  company: { id: string; name: string; locale: string; timezone: string; currency: string; plan: 'advanced' | 'essentials' };
}

/** The authenticated caller, as set on the request by the auth guard. */
export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthUser => {
  const user = ctx.switchToHttp().getRequest<{ user?: AuthUser }>().user;
  if (!user) throw new UnauthorizedException('missing or invalid API key: send Authorization: Bearer <apiKey>');
  return user;
});

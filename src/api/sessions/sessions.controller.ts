import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Req, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse, ApiBearerAuth, ApiCreatedResponse, ApiExtraModels, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiResponse, ApiTags, getSchemaPath,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Config } from '../../config';
import { RATE_LIMITS, type RateLimits } from '../../infra/rate-limits';
import { AuthUser, CurrentUser } from '../auth/current-user.decorator';
import { Public } from '../auth/public.decorator';
import { clearedSessionCookies, isSecureSite, sessionCookies } from '../auth/session-cookies';
import { ApiErrors } from '../common/api-docs';
import { IdPipe } from '../common/id-param.pipe';
import { tooManyRequests } from '../common/rate-limits';
import { CONFIG } from '../config/config.module';
import { userExample } from '../users/user.mapper';
import { RequestSignInLinkDto, StartSessionDto } from './dto/session.dto';
import { CompanyChoiceView, SessionListView, SignInLinkRequestedView, StartedSessionView } from './session.view';
import { SessionsService, UNKNOWN_LINK } from './sessions.service';
import { SignInLinksService } from './sign-in-links.service';

const sessionExample = {
  id: '3b4c5d6e-7f8a-4b9c-8d0e-1f2a3b4c5d6e', createdAt: '2026-12-01T14:00:00.000Z', lastSeenAt: '2026-12-01T14:20:00.000Z',
  expiresAt: '2026-12-01T14:50:00.000Z', userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) …', clientAddress: '203.0.113.7', current: true,
};
import { SESSION_ENDED as ENDED } from '../auth/auth.guard';

/** Email-link sign-in: asking a link, exchanging it for a console session (cookies), listing and ending sessions. */
@ApiTags('sessions')
@Controller('v1')
export class SessionsController {
  private readonly secure: boolean;

  constructor(
    private readonly sessions: SessionsService,
    private readonly links: SignInLinksService,
    @Inject(RATE_LIMITS) private readonly limits: RateLimits,
    @Inject(CONFIG) private readonly config: Config,
  ) {
    this.secure = isSecureSite(config.publicUrl);
  }

  @Post('sign-in-links')
  @Public()
  @HttpCode(202)
  @ApiOperation({
    summary: 'Emails a sign-in link (valid 15 minutes, usable once) to every active user of the address; the same answer whether or not ' +
      'the address is known',
  })
  @ApiAcceptedResponse({ type: SignInLinkRequestedView, example: {} })
  @ApiErrors({ 429: 'too many sign-in links asked for this address: at most 5 an hour; try again in 3600 s (or from this client: at most 100 an hour)' })
  async requestLink(@Body() dto: RequestSignInLinkDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<SignInLinkRequestedView> {
    const email = dto.email.toLowerCase();
    // Counted by the client, whatever the addresses: one client cannot mail every known address its allowance each hour.
    const fromClient = await this.limits.consume('sign-in-client', req.ip ?? 'unknown');
    if (!fromClient.allowed) {
      throw tooManyRequests(res, fromClient.retryAfterSeconds,
        `too many sign-in links asked from this client: at most ${this.config.limits.signInLinksPerClientPerHour} an hour`);
    }
    // Counted by the address asked for, known or not, whoever asks: a mailbox is not flooded and nothing is told.
    const verdict = await this.limits.consume('sign-in', email);
    if (!verdict.allowed) {
      throw tooManyRequests(res, verdict.retryAfterSeconds, `too many sign-in links asked for this address: at most ${this.config.limits.signInLinksPerHour} an hour`);
    }
    this.links.requestLater(email);
    return {};
  }

  @Post('sessions')
  @Public()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Signs in with a sign-in link\'s token: sets the relance_session (HttpOnly) and relance_csrf cookies; a person of several ' +
      'companies first gets the companies to choose from (200, the link stays unused)',
  })
  @ApiExtraModels(CompanyChoiceView)
  @ApiCreatedResponse({ type: StartedSessionView, example: { session: sessionExample, csrfToken: 'q9Xw…', user: userExample } })
  @ApiResponse({
    status: 200, description: 'The person is a user of several companies: send the token again with the chosen companyId',
    content: { 'application/json': { schema: { $ref: getSchemaPath(CompanyChoiceView) }, example: { companies: [{ id: userExample.companyId, name: 'Acme Inc.' }] } } },
  })
  @ApiErrors({
    400: 'companyId 6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f is not a company this link signs in to',
    401: UNKNOWN_LINK,
    429: 'too many unknown links from this address; try again in 600 s',
  })
  async start(@Body() dto: StartSessionDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<StartedSessionView | CompanyChoiceView> {
    res.setHeader('Cache-Control', 'no-store');
    const out = await this.sessions.start(dto, { ip: req.ip ?? 'unknown', userAgent: req.headers['user-agent'] }, res);
    if ('companies' in out) {
      res.status(200);
      return out;
    }
    res.append('Set-Cookie', sessionCookies({ session: out.sessionToken, csrf: out.view.csrfToken }, this.secure));
    return out.view;
  }

  @Get('sessions')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'The caller\'s open console sessions (with an API key too: the sessions of the key\'s user)' })
  @ApiOkResponse({ type: SessionListView, example: { items: [sessionExample] } })
  list(@CurrentUser() caller: AuthUser): Promise<SessionListView> {
    return this.sessions.list(caller);
  }

  @Delete('sessions/current')
  @ApiBearerAuth()
  @HttpCode(204)
  @ApiOperation({ summary: 'Signs out: ends the calling session and clears its cookies' })
  @ApiNoContentResponse({ description: 'Signed out' })
  @ApiErrors({ 401: 'this request was not made with a console session: there is none to sign out of' })
  async signOut(@CurrentUser() caller: AuthUser, @Res({ passthrough: true }) res: Response): Promise<void> {
    await this.sessions.endCurrent(caller);
    res.append('Set-Cookie', clearedSessionCookies(this.secure));
  }

  @Delete('sessions/:id')
  @ApiBearerAuth()
  @HttpCode(204)
  @ApiOperation({ summary: 'Ends one of the caller\'s sessions (another browser); its next request gets 401 "' + ENDED + '"' })
  @ApiNoContentResponse({ description: 'Ended' })
  @ApiErrors({ 404: 'session 3b4c5d6e-7f8a-4b9c-8d0e-1f2a3b4c5d6e not found' })
  async end(@CurrentUser() caller: AuthUser, @Param('id', IdPipe) id: string): Promise<void> {
    await this.sessions.endOne(caller, id);
  }
}

import { BadRequestException, Inject, Injectable, NotFoundException, UnauthorizedException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { type SessionRow, SessionsRepository } from '../../db/sessions.repository';
import { UsersRepository } from '../../db/users.repository';
import { keptUserAgent, SESSION_ABSOLUTE_MS, SESSION_IDLE_MS, sessionExpiresAt } from '../../domain/sessions';
import { RATE_LIMITS, type RateLimits } from '../../infra/rate-limits';
import { audit } from '../audit/audit-trail';
import type { AuthUser } from '../auth/current-user.decorator';
import { newSessionToken, isSessionToken, sessionTokenHash } from '../auth/session-tokens';
import { tooManyRequests } from '../common/rate-limits';
import { toUserView } from '../users/user.mapper';
import type { StartSessionDto } from './dto/session.dto';
import type { CompanyChoiceView, SessionView, StartedSessionView } from './session.view';

export const UNKNOWN_LINK = 'this sign-in link is unknown, used or expired: ask a new one';

/** Where a request comes from, as the session records it. */
export interface RequestOrigin {
  ip: string;
  userAgent: string | undefined;
}

/** A started session: what the answer shows, and the two tokens that go into its cookies (never stored in clear). */
export interface Started {
  view: StartedSessionView;
  sessionToken: string;
}

export function toSessionView(row: SessionRow, currentId?: string): SessionView {
  return {
    id: row.id, createdAt: row.created_at.toISOString(), lastSeenAt: row.last_seen_at.toISOString(),
    expiresAt: sessionExpiresAt({ createdAt: row.created_at, lastSeenAt: row.last_seen_at }).toISOString(),
    userAgent: row.user_agent, clientAddress: row.client_address, current: row.id === currentId,
  };
}

/** Signs people in with an emailed link, and lists and ends their console sessions. */
@Injectable()
export class SessionsService {
  private readonly sessions: SessionsRepository;

  constructor(@InjectDataSource() private readonly dataSource: DataSource, @Inject(RATE_LIMITS) private readonly limits: RateLimits) {
    this.sessions = new SessionsRepository(dataSource);
  }

  /**
   * A live link of a person active in several companies answers the companies (the link stays unused) until one is
   * chosen; then the link is consumed and the session made in one transaction: of two requests with one link, one
   * conditional UPDATE wins and the other is told the link is used.
   */
  async start(dto: StartSessionDto, origin: RequestOrigin, res: Response): Promise<Started | CompanyChoiceView> {
    const link = isSessionToken(dto.token) ? await this.sessions.findLiveLink(sessionTokenHash(dto.token)) : undefined;
    if (!link) {
      // Unknown tokens count against the address like unknown decision links; a live link is never refused.
      const verdict = await this.limits.consume('link-guess', origin.ip);
      if (!verdict.allowed) throw tooManyRequests(res, verdict.retryAfterSeconds, 'too many unknown links from this address');
      throw new UnauthorizedException(UNKNOWN_LINK);
    }
    const candidates = await this.sessions.findCandidatesOfLink(link);
    if (candidates.length === 0) throw new UnauthorizedException(UNKNOWN_LINK);
    let chosen = candidates[0];
    if (dto.companyId) {
      const found = candidates.find((c) => c.companyId === dto.companyId);
      if (!found) throw new BadRequestException(`companyId ${dto.companyId} is not a company this link signs in to`);
      chosen = found;
    } else if (candidates.length > 1) {
      return { companies: candidates.map((c) => ({ id: c.companyId, name: c.companyName })) };
    }
    const sessionToken = newSessionToken();
    const csrfToken = newSessionToken();
    return this.dataSource.transaction(async (m) => {
      const sessions = new SessionsRepository(m);
      if (!await sessions.consumeLink(link.id)) throw new UnauthorizedException(UNKNOWN_LINK);
      const user = await new UsersRepository(m).findOwned(chosen.companyId, chosen.userId);
      if (!user || user.status !== 'active') throw new UnauthorizedException(UNKNOWN_LINK);
      const row = await sessions.insertSession({
        companyId: chosen.companyId, userId: chosen.userId, tokenHash: sessionTokenHash(sessionToken), csrfHash: sessionTokenHash(csrfToken),
        userAgent: keptUserAgent(origin.userAgent), clientAddress: origin.ip,
      });
      await audit.record(m, { id: user.id, companyId: user.companyId, apiKeyId: null, clientAddress: origin.ip }, {
        type: 'session.started', targetId: row.id, data: { via: link.userId ? 'invitation' : 'sign_in_link' },
      });
      return { sessionToken, view: { session: toSessionView(row, row.id), csrfToken, user: toUserView(user) } };
    });
  }

  /** The caller's sessions still open, whichever credential the caller uses. */
  async list(caller: AuthUser): Promise<{ items: SessionView[] }> {
    const rows = await this.sessions.findOpenOfUser(caller.id, SESSION_IDLE_MS, SESSION_ABSOLUTE_MS);
    return { items: rows.map((r) => toSessionView(r, caller.sessionId)) };
  }

  /** Signs the calling session out. */
  async endCurrent(caller: AuthUser): Promise<void> {
    if (!caller.sessionId) throw new UnauthorizedException('this request was not made with a console session: there is none to sign out of');
    await this.end(caller, caller.sessionId, 'signed_out');
  }

  /** Ends one of the caller's own sessions; anyone else's id answers like an unknown one. */
  async endOne(caller: AuthUser, id: string): Promise<void> {
    if (!await this.end(caller, id, id === caller.sessionId ? 'signed_out' : 'ended_by_user')) throw new NotFoundException(`session ${id} not found`);
  }

  private end(caller: AuthUser, id: string, reason: 'signed_out' | 'ended_by_user'): Promise<boolean> {
    return this.dataSource.transaction(async (m) => {
      if (!await new SessionsRepository(m).endOne(caller.id, id, reason)) return false;
      await audit.record(m, caller, { type: 'session.ended', targetId: id, data: { reason } });
      return true;
    });
  }
}

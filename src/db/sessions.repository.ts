import type { Plan, Role } from './entities';
import { type Db, managerOf } from './owned';

/** An active user an email address may sign in as, with the company they belong to. */
export interface SignInCandidate {
  userId: string;
  userName: string;
  companyId: string;
  companyName: string;
  locale: string;
}

/** A link that may still sign in: not used, not expired. */
export interface LiveSignInLink {
  id: string;
  email: string;
  /** An invitation's link signs in its one user only. */
  userId: string | null;
}

export interface SessionRow {
  id: string;
  user_agent: string | null;
  client_address: string | null;
  created_at: Date;
  last_seen_at: Date;
}

/** A session not ended, of an active user, with what authenticating a request needs. */
export interface LiveSessionRow extends SessionRow {
  csrf_hash: Buffer;
  user_id: string;
  user_name: string;
  email: string;
  role: Role;
  company_id: string;
  company_name: string;
  locale: string;
  timezone: string;
  currency: string;
  plan: Plan;
}

const SESSION_COLUMNS = 's.id, s.user_agent, s.client_address, s.created_at, s.last_seen_at';

/** Sign-in links and console sessions, stored as the SHA-256 of their tokens. `db` may be a transaction's manager. */
export class SessionsRepository {
  constructor(private readonly db: Db) {}

  private get m() {
    return managerOf(this.db);
  }

  /** The active users of the address, in every company, oldest first. */
  findSignInCandidates(email: string): Promise<SignInCandidate[]> {
    return this.m.query(
      `SELECT u.id AS "userId", u.name AS "userName", c.id AS "companyId", c.name AS "companyName", c.locale
         FROM users u JOIN companies c ON c.id = u.company_id
        WHERE u.email = $1 AND u.status = 'active'
        ORDER BY u.created_at, u.id`, [email]);
  }

  /** Whom a live link may sign in as now: its invited user, or every active user of its address. */
  findCandidatesOfLink(link: LiveSignInLink): Promise<SignInCandidate[]> {
    return this.m.query(
      `SELECT u.id AS "userId", u.name AS "userName", c.id AS "companyId", c.name AS "companyName", c.locale
         FROM users u JOIN companies c ON c.id = u.company_id
        WHERE u.email = $1 AND u.status = 'active' AND ($2::uuid IS NULL OR u.id = $2::uuid)
        ORDER BY c.name, c.id`, [link.email, link.userId]);
  }

  /** Records a link valid `validMs` from now (the database's clock, which judges it). */
  async insertLink(fields: { tokenHash: Buffer; email: string; userId: string | null; validMs: number }): Promise<string> {
    const [row] = await this.m.query(
      `INSERT INTO sign_in_links (token_hash, email, user_id, expires_at)
       VALUES ($1, $2, $3, now() + $4 * interval '1 millisecond') RETURNING id`,
      [fields.tokenHash, fields.email, fields.userId, fields.validMs]) as { id: string }[];
    return row.id;
  }

  async findLiveLink(tokenHash: Buffer): Promise<LiveSignInLink | undefined> {
    const [row] = await this.m.query(
      `SELECT id, email, user_id AS "userId" FROM sign_in_links
        WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now()`, [tokenHash]) as LiveSignInLink[];
    return row;
  }

  /** Marks the link used if it still was live; of two requests at once, one gets true. */
  async consumeLink(id: string): Promise<boolean> {
    const [rows] = await this.m.query(
      'UPDATE sign_in_links SET used_at = now() WHERE id = $1 AND used_at IS NULL AND expires_at > now() RETURNING id', [id]) as [unknown[], number];
    return rows.length > 0;
  }

  async insertSession(fields: {
    companyId: string; userId: string; tokenHash: Buffer; csrfHash: Buffer; userAgent: string | null; clientAddress: string | null;
  }): Promise<SessionRow> {
    const [row] = await this.m.query(
      `INSERT INTO sessions AS s (company_id, user_id, token_hash, csrf_hash, user_agent, client_address)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${SESSION_COLUMNS}`,
      [fields.companyId, fields.userId, fields.tokenHash, fields.csrfHash, fields.userAgent, fields.clientAddress]) as SessionRow[];
    return row;
  }

  /** The session of this token if it was not ended and its user is active, in one indexed statement; time is the caller's to judge. */
  async findLive(tokenHash: Buffer): Promise<LiveSessionRow | undefined> {
    const [row] = await this.m.query(
      `SELECT ${SESSION_COLUMNS}, s.csrf_hash, u.id AS user_id, u.name AS user_name, u.email, u.role,
              c.id AS company_id, c.name AS company_name, c.locale, c.timezone, c.currency, c.plan
         FROM sessions s JOIN users u ON u.id = s.user_id JOIN companies c ON c.id = s.company_id
        WHERE s.token_hash = $1 AND s.ended_at IS NULL AND u.status = 'active'`, [tokenHash]) as LiveSessionRow[];
    return row;
  }

  /** Records a request of the session, unless one was recorded in the last `everyMs`. */
  async touch(id: string, everyMs: number): Promise<void> {
    await this.m.query(
      `UPDATE sessions SET last_seen_at = now() WHERE id = $1 AND last_seen_at < now() - $2 * interval '1 millisecond'`, [id, everyMs]);
  }

  /** The user's sessions not ended and within both time limits, newest first. */
  findOpenOfUser(userId: string, idleMs: number, absoluteMs: number): Promise<SessionRow[]> {
    return this.m.query(
      `SELECT ${SESSION_COLUMNS} FROM sessions s
        WHERE s.user_id = $1 AND s.ended_at IS NULL
          AND s.last_seen_at > now() - $2 * interval '1 millisecond' AND s.created_at > now() - $3 * interval '1 millisecond'
        ORDER BY s.created_at DESC, s.id`, [userId, idleMs, absoluteMs]);
  }

  /** Ends one session of the user; false when the user has no such session not ended. */
  async endOne(userId: string, id: string, reason: string): Promise<boolean> {
    const [rows] = await this.m.query(
      `UPDATE sessions SET ended_at = now(), end_reason = $3 WHERE id = $1 AND user_id = $2 AND ended_at IS NULL RETURNING id`,
      [id, userId, reason]) as [unknown[], number];
    return rows.length > 0;
  }

  /** Ends every session of the user not ended yet; their ids. */
  async endAllOfUser(userId: string, reason: string): Promise<string[]> {
    const [rows] = await this.m.query(
      'UPDATE sessions SET ended_at = now(), end_reason = $2 WHERE user_id = $1 AND ended_at IS NULL RETURNING id', [userId, reason]) as [{ id: string }[], number];
    return rows.map((r) => r.id);
  }
}

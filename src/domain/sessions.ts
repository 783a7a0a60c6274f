/**
 * Console sessions and the email links that start them. A session ends after SESSION_IDLE_MS without a request or
 * SESSION_ABSOLUTE_MS after sign-in, whichever comes first; its last request is recorded at most once a
 * SESSION_TOUCH_MS, so that a busy console does not write a row per request.
 */
export const SESSION_IDLE_MS = 30 * 60_000;
export const SESSION_ABSOLUTE_MS = 12 * 3_600_000;
export const SESSION_TOUCH_MS = 60_000;
/** A link asked at the sign-in page: short, since whoever reads the mailbox signs in. */
export const SIGN_IN_LINK_MS = 15 * 60_000;
/** An invitation's link: the invited person may read it days later. */
export const INVITE_LINK_MS = 7 * 86_400_000;
export const USER_AGENT_MAX_CHARS = 200;

export type SessionEndReason = 'signed_out' | 'ended_by_user' | 'user_deactivated';

export interface SessionTimes {
  createdAt: Date;
  lastSeenAt: Date;
}

/** When the session ends if no request comes: the earlier of the idle and the absolute limit. */
export function sessionExpiresAt(s: SessionTimes): Date {
  return new Date(Math.min(s.lastSeenAt.getTime() + SESSION_IDLE_MS, s.createdAt.getTime() + SESSION_ABSOLUTE_MS));
}

export function isSessionLive(s: SessionTimes, now: Date): boolean {
  return now.getTime() < sessionExpiresAt(s).getTime();
}

/** Whether a request at `now` records itself as the session's last one. */
export function needsTouch(s: SessionTimes, now: Date): boolean {
  return now.getTime() - s.lastSeenAt.getTime() >= SESSION_TOUCH_MS;
}

/** What is kept of a User-Agent header: the start of it, or null. */
export function keptUserAgent(header: string | undefined): string | null {
  const value = header?.trim();
  return value ? value.slice(0, USER_AGENT_MAX_CHARS) : null;
}

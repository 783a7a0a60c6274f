import { timingSafeEqual } from 'node:crypto';
import { decisionTokenHash, isDecisionToken, newDecisionToken } from '../../infra/decision-tokens';

// Sign-in links, session cookies and CSRF tokens are tokens of the decision links' kind: 256 random bits, base64url
// (43 characters, safe in a path and a cookie), stored as their SHA-256. One implementation serves both.

export const newSessionToken = newDecisionToken;

/** Whether `token` has the shape newSessionToken gives, before any lookup. */
export function isSessionToken(token: unknown): token is string {
  return typeof token === 'string' && isDecisionToken(token);
}

/** What is stored and looked up: the token's SHA-256. */
export const sessionTokenHash = decisionTokenHash;

/** Whether `given` is the token whose hash is `stored`, in constant time (two digests of one length). */
export function matchesTokenHash(given: string, stored: Buffer): boolean {
  const digest = sessionTokenHash(given);
  return digest.length === stored.length && timingSafeEqual(digest, stored);
}

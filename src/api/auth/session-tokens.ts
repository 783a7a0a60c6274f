import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 256 random bits, base64url (43 characters): sign-in links, session cookies and CSRF tokens. */
export function newSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Whether `token` has the shape newSessionToken gives, before any lookup. */
export function isSessionToken(token: unknown): token is string {
  return typeof token === 'string' && /^[A-Za-z0-9_-]{43}$/.test(token);
}

/** What is stored and looked up: the token's SHA-256. */
export function sessionTokenHash(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

/** Whether `given` is the token whose hash is `stored`, in constant time (two digests of one length). */
export function matchesTokenHash(given: string, stored: Buffer): boolean {
  const digest = sessionTokenHash(given);
  return digest.length === stored.length && timingSafeEqual(digest, stored);
}

import { createHash, randomBytes } from 'node:crypto';

/** 256 random bits, base64url: 43 characters, safe in a path. */
export function newDecisionToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Whether `token` has the shape newDecisionToken gives, before any lookup. */
export function isDecisionToken(token: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(token);
}

/**
 * What is stored and looked up: the token's sha-256, found through an index and compared again in constant time by
 * ApprovalLinksRepository.findPage.
 */
export function decisionTokenHash(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

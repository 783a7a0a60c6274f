import { createHash, timingSafeEqual } from 'node:crypto';

/** A shared secret's SHA-256 (an operator's token from the environment), what `matchesSecret` compares against. */
export function secretDigest(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

/**
 * Whether `given` is the secret of `expected` (its `secretDigest`), in constant time: both sides are digests of one
 * length, so the time taken says nothing of the secret, not even its length.
 */
export function matchesSecret(given: string, expected: Buffer): boolean {
  return timingSafeEqual(secretDigest(given), expected);
}

import { createHash, randomBytes } from 'node:crypto';

/** `rlk_<8-char prefix>_<secret>`: 256 random bits; the prefix lets people tell keys apart in listings. */
export function generateApiKey(): { key: string; prefix: string; hash: string } {
  const prefix = randomBytes(6).toString('base64url').slice(0, 8);
  const key = `rlk_${prefix}_${randomBytes(32).toString('base64url')}`;
  return { key, prefix, hash: hashApiKey(key) };
}

/** Keys are high-entropy random strings, so a fast hash is enough (no password stretching needed). */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

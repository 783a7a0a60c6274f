import { createHash } from 'node:crypto';
import { generateUnsubscribeToken, hashUnsubscribeToken } from './unsubscribe-tokens.repository';

describe(generateUnsubscribeToken.name, () => {
  it('makes 256-bit random tokens, URL-safe, of which only the SHA-256 is kept', () => {
    const tokens = Array.from({ length: 200 }, () => generateUnsubscribeToken());
    expect(new Set(tokens.map((t) => t.token)).size).toBe(200);
    for (const { token, hash } of tokens) {
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(token, 'base64url')).toHaveLength(32);
      expect(hash.equals(createHash('sha256').update(token).digest())).toBe(true);
      expect(hash.toString('hex')).not.toContain(Buffer.from(token, 'base64url').toString('hex'));
    }
    expect(hashUnsubscribeToken('a').equals(hashUnsubscribeToken('b'))).toBe(false);
  });
});

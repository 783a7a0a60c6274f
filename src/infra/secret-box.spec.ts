import { SecretBox } from './secret-box';

describe(SecretBox.name, () => {
  const k1 = { id: 'k1', key: Buffer.alloc(32, 1) };
  const k2 = { id: 'k2', key: Buffer.alloc(32, 2) };

  it('seals with AES-256-GCM under the first key, carrying its id, and opens what it sealed', () => {
    const box = new SecretBox([k1]);
    const sealed = box.seal('whsec_abc', 'webhook-secret');
    expect(sealed).toMatch(/^sb1:k1:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]+$/);
    expect(sealed).not.toContain('whsec_abc');
    expect(box.seal('whsec_abc', 'webhook-secret')).not.toBe(sealed);
    expect(box.open(sealed, 'webhook-secret')).toBe('whsec_abc');
    expect(SecretBox.isSealed(sealed)).toBe(true);
    expect(SecretBox.isSealed('whsec_abc')).toBe(false);
    expect(sealed.startsWith(box.currentPrefix)).toBe(true);
  });

  it('rotates: a new first key seals, the old one still opens its values', () => {
    const old = new SecretBox([k1]).seal('{"apiKey":"rlk_x"}', 'idempotent-response');
    const rotated = new SecretBox([k2, k1]);
    expect(rotated.open(old, 'idempotent-response')).toBe('{"apiKey":"rlk_x"}');
    expect(rotated.seal('x', 'idempotent-response')).toMatch(/^sb1:k2:/);
    expect(old.startsWith(rotated.currentPrefix)).toBe(false);
    expect(() => new SecretBox([k2]).open(old, 'idempotent-response')).toThrow('sealed under the key "k1", which RELANCE_SECRET_KEYS no longer lists');
  });

  it('refuses an altered value, another purpose, another key of the same id, and plaintext', () => {
    const box = new SecretBox([k1]);
    const sealed = box.seal('whsec_abc', 'webhook-secret');
    const parts = sealed.split(':');
    const body = Buffer.from(parts[3], 'base64url');
    body[0] ^= 1;
    const altered = [...parts.slice(0, 3), body.toString('base64url')].join(':');
    expect(() => box.open(altered, 'webhook-secret')).toThrow('does not authenticate');
    expect(() => box.open(sealed, 'idempotent-response')).toThrow('does not authenticate');
    expect(() => new SecretBox([{ id: 'k1', key: Buffer.alloc(32, 9) }]).open(sealed, 'webhook-secret')).toThrow('does not authenticate');
    expect(() => box.open('whsec_abc', 'webhook-secret')).toThrow('a webhook-secret is not a sealed value');
    expect(() => box.open('sb1:k1:AAAA:AA', 'webhook-secret')).toThrow('does not authenticate');
  });
});

import { base32, MAX_LOCAL_PART_OCTETS, replyAddress, replyToken, replyTokenKey, replyTokensIn } from './reply-address';

describe(base32.name, () => {
  it.each([
    // RFC 4648 §10's test vectors, lowercased and without padding.
    ['', ''], ['f', 'my'], ['fo', 'mzxq'], ['foo', 'mzxw6'], ['foob', 'mzxw6yq'], ['fooba', 'mzxw6ytb'], ['foobar', 'mzxw6ytboi'],
  ])('writes %j as %j', (input, expected) => {
    expect(base32(Buffer.from(input))).toBe(expected);
  });
});

describe(replyToken.name, () => {
  const secret = Buffer.alloc(32, 7);

  it('is 160 bits of lowercase base32, the same for a retry of one delivery, another for another delivery or secret', () => {
    const token = replyToken(secret, 'def-1|invoice:42|step-2');
    expect(token).toMatch(/^[a-z2-7]{32}$/);
    expect(replyToken(secret, 'def-1|invoice:42|step-2')).toBe(token);
    expect(replyToken(secret, 'def-1|invoice:42|step-3')).not.toBe(token);
    expect(replyToken(Buffer.alloc(32, 8), 'def-1|invoice:42|step-2')).not.toBe(token);
  });

  it('is derived under a key of its own, not the encryption key', () => {
    expect(replyTokenKey(secret)).toHaveLength(32);
    expect(replyTokenKey(secret).equals(secret)).toBe(false);
    expect(replyTokenKey(secret)).toEqual(replyTokenKey(Buffer.alloc(32, 7)));
  });

  it('makes a local part within the 64 octets of RFC 5321', () => {
    const address = replyAddress(replyToken(secret, 'k'.repeat(500)), 'reply.acme.example');
    const local = address.slice(0, address.indexOf('@'));
    expect(Buffer.byteLength(local)).toBeLessThanOrEqual(MAX_LOCAL_PART_OCTETS);
    expect(address).toMatch(/^r-[a-z2-7]{32}@reply\.acme\.example$/);
  });
});

describe(replyTokensIn.name, () => {
  const token = 'abcdefghijklmnopqrstuvwxyz234567';
  const other = '234567abcdefghijklmnopqrstuvwxyz';

  it('finds the tokens of the inbound domain in header values and report fields, case aside, once each, in order', () => {
    expect(replyTokensIn([
      `"Acme billing" <R-${token.toUpperCase()}@Reply.Acme.Example>`,
      `rfc822; r-${other}@reply.acme.example, r-${token}@reply.acme.example`,
    ], 'reply.acme.example')).toEqual([token, other]);
  });

  it('ignores other domains, other shapes and a token inside a longer local part', () => {
    expect(replyTokensIn([
      `r-${token}@elsewhere.example`, `r-${token.slice(1)}@reply.acme.example`, `xr-${token}@reply.acme.example`,
      `r-${token}ab@reply.acme.example`, 'bob@reply.acme.example',
    ], 'reply.acme.example')).toEqual([]);
  });

  it('looks up at most a few addresses, whatever a message names', () => {
    const many = Array.from({ length: 50 }, (_, i) => `r-${base32(Buffer.alloc(20, i))}@reply.acme.example`);
    expect(replyTokensIn(many, 'reply.acme.example')).toHaveLength(5);
  });
});

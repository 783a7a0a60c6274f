import { createHmac, hkdfSync } from 'node:crypto';

/** The RFC 4648 base32 alphabet, lowercased: a local part some relays lowercase, and no character a mail client quotes. */
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';

/** 160 bits: more than the 128 that make a reply address unguessable. */
const TOKEN_BYTES = 20;
const TOKEN_LENGTH = Math.ceil((TOKEN_BYTES * 8) / 5);
const PREFIX = 'r-';

/** RFC 5321 §4.5.3.1.1: a local part is at most 64 octets. */
export const MAX_LOCAL_PART_OCTETS = 64;

/** RFC 4648 §6 base32, lowercased and without padding. */
export function base32(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) out += ALPHABET[(buffer << (5 - bits)) & 31];
  return out;
}

/**
 * The key reply-address tokens are derived with, from a key of RELANCE_SECRET_KEYS (the first): its own key (HKDF,
 * RFC 5869), never the encryption key itself.
 */
export function replyTokenKey(secretKey: Uint8Array): Buffer {
  return Buffer.from(hkdfSync('sha256', secretKey, Buffer.alloc(0), 'relance reply-address tokens', 32));
}

/**
 * The token of a delivery's reply address: HMAC-SHA-256 of its delivery key under a server secret, cut to 160 bits.
 * Derived rather than drawn, so that a retry of the same delivery (the same key) writes the same address into the
 * same message: only the token's SHA-256 is stored, and a drawn token could not be found again. Without the secret it
 * cannot be told from a random one.
 */
export function replyToken(secret: Uint8Array, deliveryKey: string): string {
  const mac = createHmac('sha256', secret).update('relance reply address\0').update(deliveryKey, 'utf8').digest();
  return base32(mac.subarray(0, TOKEN_BYTES));
}

/** `r-<token>@<domain>`: its own address for every customer email, as its Reply-To and envelope sender (VERP). */
export function replyAddress(token: string, domain: string): string {
  return `${PREFIX}${token}@${domain}`;
}

const TOKEN_IN_TEXT = new RegExp(`(?<![a-z0-9.+_-])${PREFIX}([a-z2-7]{${TOKEN_LENGTH}})@([a-z0-9.-]{1,253})`, 'gi');

/**
 * The reply tokens that `text` (header values, a report's fields) names at `domain`, in order, at most `limit`: a
 * message cannot make the endpoint look up more than a few.
 */
export function replyTokensIn(texts: readonly string[], domain: string, limit = 5): string[] {
  const want = domain.toLowerCase();
  const found: string[] = [];
  for (const text of texts) {
    for (const match of text.matchAll(TOKEN_IN_TEXT)) {
      const token = match[1].toLowerCase();
      if (match[2].toLowerCase().replace(/\.$/, '') !== want || found.includes(token)) continue;
      found.push(token);
      if (found.length >= limit) return found;
    }
  }
  return found;
}

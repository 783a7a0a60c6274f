import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** A new endpoint's signing secret: 32 random bytes (256 bits), shown to the company once. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

/**
 * An event's id from the fact it describes (`invoice.approval.requested:<approval>:<step>`): the activity that records
 * it may run again, and the same fact is then the same event, with the same id, for receivers to drop repeats.
 */
export function webhookEventId(factKey: string): string {
  const h = createHash('sha256').update(`relance-webhook-event:${factKey}`).digest();
  h[6] = (h[6] & 0x0f) | 0x80; // version 8 (name-based, custom hash), RFC 9562
  h[8] = (h[8] & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

/**
 * `Relance-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`. In the day after a
 * rotation, the secret it replaced signs too, in a second `v1` after the new one's: a receiver that still has only
 * the old secret keeps verifying while it is given the new one.
 */
export function webhookSignature(secret: string, body: string, unixSeconds: number, previousSecret?: string | null): string {
  const v1 = (s: string) => `v1=${createHmac('sha256', s).update(`${unixSeconds}.${body}`).digest('hex')}`;
  return [`t=${unixSeconds}`, v1(secret), ...(previousSecret ? [v1(previousSecret)] : [])].join(',');
}

/**
 * What a receiver does with the header: true when one `v1` of it is the HMAC of `t.body` with the secret, compared in
 * constant time, and `t` is within `toleranceSeconds` of `nowSeconds` (a replayed old request is refused).
 */
export function verifyWebhookSignature(secret: string, body: string, header: string, nowSeconds: number, toleranceSeconds = 300): boolean {
  const parts = header.split(',').map((p) => p.trim().split('='));
  const t = Number(parts.find(([k]) => k === 't')?.[1]);
  if (!Number.isInteger(t) || Math.abs(nowSeconds - t) > toleranceSeconds) return false;
  const expected = Buffer.from(createHmac('sha256', secret).update(`${t}.${body}`).digest('hex'));
  return parts.filter(([k]) => k === 'v1').some(([, v]) => {
    const given = Buffer.from(v ?? '');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

import { createHmac } from 'node:crypto';
import { newWebhookSecret, verifyWebhookSignature, webhookEventId, webhookSignature } from './webhook-signature';

describe('webhook signature', () => {
  const secret = newWebhookSecret();
  const body = '{"id":"e1","type":"payment.received"}';

  it('signs "<t>.<raw body>" with HMAC-SHA256 as t=<unix seconds>,v1=<hex>', () => {
    const expected = createHmac('sha256', secret).update(`1764600000.${body}`).digest('hex');
    expect(webhookSignature(secret, body, 1764600000)).toBe(`t=1764600000,v1=${expected}`);
  });

  it('signs with the replaced secret too, after the new one\'s, while a rotation overlaps: each verifies', () => {
    const old = newWebhookSecret();
    const header = webhookSignature(secret, body, 1000, old);
    const mac = (s: string) => createHmac('sha256', s).update(`1000.${body}`).digest('hex');
    expect(header).toBe(`t=1000,v1=${mac(secret)},v1=${mac(old)}`);
    expect(verifyWebhookSignature(secret, body, header, 1000)).toBe(true);
    expect(verifyWebhookSignature(old, body, header, 1000)).toBe(true);
    expect(verifyWebhookSignature(newWebhookSecret(), body, header, 1000)).toBe(false);
    expect(webhookSignature(secret, body, 1000, null)).toBe(`t=1000,v1=${mac(secret)}`);
  });

  it('verifies its own header, and refuses another secret, another body, or an old timestamp', () => {
    const header = webhookSignature(secret, body, 1000);
    expect(verifyWebhookSignature(secret, body, header, 1010)).toBe(true);
    expect(verifyWebhookSignature(newWebhookSecret(), body, header, 1010)).toBe(false);
    expect(verifyWebhookSignature(secret, `${body} `, header, 1010)).toBe(false);
    expect(verifyWebhookSignature(secret, body, header, 1000 + 301)).toBe(false);
    expect(verifyWebhookSignature(secret, body, 't=1000,v1=abc', 1000)).toBe(false);
  });

  it('makes secrets of 256 random bits', () => {
    const s = newWebhookSecret();
    expect(s).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(s.slice(6), 'base64url')).toHaveLength(32);
    expect(newWebhookSecret()).not.toBe(s);
  });

  it('derives one event id per fact, a UUID', () => {
    const id = webhookEventId('payment.received:p1');
    expect(id).toBe(webhookEventId('payment.received:p1'));
    expect(id).not.toBe(webhookEventId('payment.received:p2'));
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

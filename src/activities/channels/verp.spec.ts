import type { DataSource } from 'typeorm';
import { verpDecoration } from './verp';

describe('verpDecoration', () => {
  const ctx = { companyId: 'c1', customerId: 'cu1', deliveryKey: 'd|invoice:i1|step-1|email|a@b.test', invoiceIds: ['i1'], recipient: 'a@b.test' };

  it('without INBOUND_DOMAIN, leaves the email with MAIL_FROM alone and records no address', async () => {
    const query = jest.fn();
    const decoration = verpDecoration({ dataSource: { query } as unknown as DataSource });
    expect(await decoration(ctx)).toEqual({});
    expect(query).not.toHaveBeenCalled();
  });

  it('with INBOUND_DOMAIN, gives the same address to every attempt of one delivery, as Reply-To and envelope sender', async () => {
    const query = jest.fn().mockResolvedValue([]);
    const decoration = verpDecoration({ dataSource: { query } as unknown as DataSource, inbound: { domain: 'in.acme.test', secretKey: new Uint8Array(32).fill(7) } });
    const first = await decoration(ctx);
    expect(first.replyTo).toMatch(/^r-[a-z2-7]{32}@in\.acme\.test$/);
    expect(first.envelopeFrom).toBe(first.replyTo);
    expect(await decoration(ctx)).toEqual(first);
    expect((await decoration({ ...ctx, deliveryKey: `${ctx.deliveryKey}x` })).replyTo).not.toBe(first.replyTo);
  });
});

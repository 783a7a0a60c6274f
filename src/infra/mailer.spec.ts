import { deliveryMessageId, pooledSmtpUrl } from './mailer';

describe(pooledSmtpUrl.name, () => {
  const timeouts = 'connectionTimeout=15000&greetingTimeout=15000&socketTimeout=60000';

  it('turns pooling on and bounds the waits for a plain SMTP URL', () => {
    expect(pooledSmtpUrl('smtp://127.0.0.1:1025')).toBe(`smtp://127.0.0.1:1025?pool=true&${timeouts}`);
  });

  it('keeps what the URL says, credentials and other options included', () => {
    expect(pooledSmtpUrl('smtps://user:p%40ss@mail.example:465?pool=false&socketTimeout=120000'))
      .toBe('smtps://user:p%40ss@mail.example:465?pool=false&socketTimeout=120000&connectionTimeout=15000&greetingTimeout=15000');
    expect(pooledSmtpUrl('smtp://mail.example:587?maxConnections=2')).toBe(`smtp://mail.example:587?maxConnections=2&pool=true&${timeouts}`);
  });
});

describe(deliveryMessageId.name, () => {
  it('is the same for every attempt of a delivery and differs between deliveries', () => {
    const id = deliveryMessageId('approval:a1:requested:0:email:u1');
    expect(id).toMatch(/^<[0-9a-f]{40}@delivery\.relance>$/);
    expect(deliveryMessageId('approval:a1:requested:0:email:u1')).toBe(id);
    expect(deliveryMessageId('approval:a1:requested:0:email:u2')).not.toBe(id);
  });
});

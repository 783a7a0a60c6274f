import { pooledSmtpUrl } from './mailer';

describe(pooledSmtpUrl.name, () => {
  it('turns pooling on for a plain SMTP URL', () => {
    expect(pooledSmtpUrl('smtp://127.0.0.1:1025')).toBe('smtp://127.0.0.1:1025?pool=true');
  });

  it('keeps what the URL says, credentials and other options included', () => {
    expect(pooledSmtpUrl('smtps://user:p%40ss@mail.example:465?pool=false')).toBe('smtps://user:p%40ss@mail.example:465?pool=false');
    expect(pooledSmtpUrl('smtp://mail.example:587?maxConnections=2')).toBe('smtp://mail.example:587?maxConnections=2&pool=true');
  });
});

import { ConfigError, loadConfig } from './config';

describe(loadConfig.name, () => {
  const base = { DATABASE_URL: 'postgres://u:p@localhost:5432/db', TEMPORAL_ADDRESS: '127.0.0.1:7233' };

  it('applies defaults', () => {
    const config = loadConfig(base);
    expect(config).toMatchObject({ port: 3000, temporalNamespace: 'default', taskQueue: 'relance', smtpUrl: 'smtp://127.0.0.1:1025' });
  });

  it.each([
    [{ ...base, DATABASE_URL: undefined }, /DATABASE_URL is not set/],
    [{ ...base, DATABASE_URL: 'mysql://x' }, /DATABASE_URL must use postgres:/],
    [{ ...base, TEMPORAL_ADDRESS: 'nohost' }, /TEMPORAL_ADDRESS must be host:port/],
    [{ ...base, PORT: 'abc' }, /PORT must be an integer/],
    [{ ...base, SMTP_URL: 'http://x' }, /SMTP_URL must use smtp:/],
  ])('rejects %j', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});

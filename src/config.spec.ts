import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError, DEFAULT_ABUSE_LIMITS, DEFAULT_SCHEDULE_JITTER_SECONDS, DEFAULT_WORKER_LIMITS, loadConfig } from './config';

describe(loadConfig.name, () => {
  const key = (byte: number, length = 32) => Buffer.alloc(length, byte).toString('base64');
  const base = { DATABASE_URL: 'postgres://u:p@localhost:5432/db', TEMPORAL_ADDRESS: '127.0.0.1:7233', RELANCE_SECRET_KEYS: `k1:${key(1)}` };

  it('takes the secret keys in order, the first one encrypting, and never echoes a key in an error', () => {
    expect(loadConfig({ ...base, RELANCE_SECRET_KEYS: ` k2:${key(2)}, k1:${key(1)} ` }).secretKeys)
      .toEqual([{ id: 'k2', key: Buffer.alloc(32, 2) }, { id: 'k1', key: Buffer.alloc(32, 1) }]);
    const short = key(7, 16);
    expect(() => loadConfig({ ...base, RELANCE_SECRET_KEYS: `k1:${short}` })).toThrow('RELANCE_SECRET_KEYS key "k1" must be 32 bytes in base64 (got 16 bytes)');
    try {
      loadConfig({ ...base, RELANCE_SECRET_KEYS: `k1:${short}` });
    } catch (err) {
      expect((err as Error).message).not.toContain(short);
    }
  });

  it('applies defaults', () => {
    const config = loadConfig(base);
    expect(config).toMatchObject({ port: 3000, temporalNamespace: 'default', taskQueue: 'relance', smtpUrl: 'smtp://127.0.0.1:1025' });
  });

  it('bounds the worker and jitters the schedules by default', () => {
    const config = loadConfig(base);
    expect(config.scheduleJitterSeconds).toBe(DEFAULT_SCHEDULE_JITTER_SECONDS);
    expect(config.worker).toEqual(DEFAULT_WORKER_LIMITS);
    expect(config.worker.maxCachedWorkflows).toBeGreaterThan(0);
    expect(config.worker).not.toHaveProperty('maxTaskQueueActivitiesPerSecond');
  });

  it('trusts no proxy unless told how many are in front (the decision page counts wrong guesses per client address)', () => {
    expect(loadConfig(base).trustProxyHops).toBe(0);
    expect(loadConfig({ ...base, TRUST_PROXY_HOPS: '2' }).trustProxyHops).toBe(2);
    expect(() => loadConfig({ ...base, TRUST_PROXY_HOPS: 'yes' })).toThrow(/TRUST_PROXY_HOPS must be an integer from 0 to 10, got "yes"/);
  });

  it('opens sign-up by default, with 10 sign-ups per address an hour and 20 delegation changes per user a day', () => {
    const config = loadConfig(base);
    expect(config.signup).toEqual({ mode: 'open' });
    expect(config.limits).toEqual(DEFAULT_ABUSE_LIMITS);
    expect(DEFAULT_ABUSE_LIMITS).toEqual({
      signupsPerHour: 10, delegationChangesPerDay: 20, linkGuessesPer10Minutes: 20, signInLinksPerHour: 5, signInLinksPerClientPerHour: 100,
      decisionsPerMinute: 600,
    });
  });

  it('takes the sign-up mode, its token and the limits from the environment', () => {
    const token = 'a'.repeat(64);
    expect(loadConfig({ ...base, RELANCE_SIGNUP: 'token', RELANCE_SIGNUP_TOKEN: ` ${token} ` }).signup).toEqual({ mode: 'token', token });
    expect(loadConfig({ ...base, RELANCE_SIGNUP: 'closed' }).signup).toEqual({ mode: 'closed' });
    expect(loadConfig({ ...base, RELANCE_SIGNUP_RATE: '3', RELANCE_DELEGATION_RATE: '4', RELANCE_LINK_GUESS_RATE: '5', RELANCE_SIGNIN_RATE: '6', RELANCE_SIGNIN_CLIENT_RATE: '7', RELANCE_DECISION_RATE: '8' }).limits)
      .toEqual({ signupsPerHour: 3, delegationChangesPerDay: 4, linkGuessesPer10Minutes: 5, signInLinksPerHour: 6, signInLinksPerClientPerHour: 7, decisionsPerMinute: 8 });
  });

  it.each([
    [{ RELANCE_SIGNUP: 'invite' }, /RELANCE_SIGNUP must be "open", "token" or "closed", got "invite"/],
    [{ RELANCE_SIGNUP: 'token' }, /RELANCE_SIGNUP_TOKEN is not set: RELANCE_SIGNUP=token needs/],
    [{ RELANCE_SIGNUP: 'token', RELANCE_SIGNUP_TOKEN: 'short' }, /RELANCE_SIGNUP_TOKEN must be at least 32 characters/],
    [{ RELANCE_SIGNUP_RATE: '0' }, /RELANCE_SIGNUP_RATE must be an integer from 1 to 1000000, got "0"/],
    [{ RELANCE_DELEGATION_RATE: 'lots' }, /RELANCE_DELEGATION_RATE must be an integer/],
    [{ RELANCE_LINK_GUESS_RATE: '-1' }, /RELANCE_LINK_GUESS_RATE must be an integer/],
  ])('refuses a bad sign-up setting or limit %#', (env, message) => {
    expect(() => loadConfig({ ...base, ...env })).toThrow(message);
  });

  it('takes the worker limits and the jitter from the environment', () => {
    const config = loadConfig({
      ...base, REMINDER_SCHEDULE_JITTER_SECONDS: '0', WORKER_MAX_CACHED_WORKFLOWS: '250', WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: '8',
      WORKER_MAX_CONCURRENT_ACTIVITIES: '4', WORKER_MAX_CONCURRENT_LOCAL_ACTIVITIES: '6', WORKER_MAX_TASK_QUEUE_ACTIVITIES_PER_SECOND: '50',
    });
    expect(config.scheduleJitterSeconds).toBe(0);
    expect(config.worker).toEqual({
      maxCachedWorkflows: 250, maxConcurrentWorkflowTaskExecutions: 8, maxConcurrentActivityTaskExecutions: 4,
      maxConcurrentLocalActivityExecutions: 6, maxTaskQueueActivitiesPerSecond: 50,
    });
  });

  it.each([
    [{ ...base, DATABASE_URL: undefined }, /DATABASE_URL is not set/],
    [{ ...base, RELANCE_SECRET_KEYS: undefined }, /RELANCE_SECRET_KEYS is not set: set it to "<keyId>:<base64 of 32 random bytes>"/],
    [{ ...base, RELANCE_SECRET_KEYS: key(1) }, /RELANCE_SECRET_KEYS entry 1 must start with a key id/],
    [{ ...base, RELANCE_SECRET_KEYS: `k1:${key(1)},k1:${key(2)}` }, /RELANCE_SECRET_KEYS names the key id "k1" twice/],
    [{ ...base, RELANCE_SECRET_KEYS: 'k1:not base64!' }, /RELANCE_SECRET_KEYS key "k1" must be 32 bytes in base64/],
    [{ ...base, DATABASE_URL: 'mysql://x' }, /DATABASE_URL must use postgres:/],
    [{ ...base, TEMPORAL_ADDRESS: 'nohost' }, /TEMPORAL_ADDRESS must be host:port/],
    [{ ...base, PORT: 'abc' }, /PORT must be an integer/],
    [{ ...base, SMTP_URL: 'http://x' }, /SMTP_URL must use smtp:/],
    [{ ...base, REMINDER_SCHEDULE_JITTER_SECONDS: '5m' }, /REMINDER_SCHEDULE_JITTER_SECONDS must be an integer from 0 to 3600, got "5m"/],
    [{ ...base, REMINDER_SCHEDULE_JITTER_SECONDS: '3601' }, /REMINDER_SCHEDULE_JITTER_SECONDS must be an integer from 0 to 3600/],
    [{ ...base, WORKER_MAX_CACHED_WORKFLOWS: '-1' }, /WORKER_MAX_CACHED_WORKFLOWS must be an integer from 0/],
    [{ ...base, WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: '1' }, /WORKER_MAX_CONCURRENT_WORKFLOW_TASKS must be an integer from 2/],
    [{ ...base, WORKER_MAX_CONCURRENT_ACTIVITIES: '0' }, /WORKER_MAX_CONCURRENT_ACTIVITIES must be an integer from 1/],
    [{ ...base, WORKER_MAX_CONCURRENT_LOCAL_ACTIVITIES: '2.5' }, /WORKER_MAX_CONCURRENT_LOCAL_ACTIVITIES must be an integer/],
    [{ ...base, WORKER_MAX_TASK_QUEUE_ACTIVITIES_PER_SECOND: 'fast' }, /WORKER_MAX_TASK_QUEUE_ACTIVITIES_PER_SECOND must be an integer/],
  ])('rejects %j', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('receives inbound mail only with a secret of 32 characters or more and the domain of the reply addresses', () => {
    expect(loadConfig(base).inbound).toEqual({ bodyLimitBytes: 25 * 1024 * 1024 });
    expect(loadConfig({ ...base, INBOUND_DOMAIN: 'Reply.Acme.Example' }).inbound).toEqual({ domain: 'reply.acme.example', bodyLimitBytes: 25 * 1024 * 1024 });
    const secret = 's'.repeat(32);
    expect(loadConfig({ ...base, INBOUND_DOMAIN: 'reply.acme.example', RELANCE_INBOUND_SECRET: secret, INBOUND_BODY_LIMIT: '64kb' }).inbound)
      .toEqual({ domain: 'reply.acme.example', secret, bodyLimitBytes: 65536 });
    expect(() => loadConfig({ ...base, INBOUND_DOMAIN: 'reply.acme.example', RELANCE_INBOUND_SECRET: 'short' })).toThrow(/RELANCE_INBOUND_SECRET must be at least 32 characters/);
    expect(() => loadConfig({ ...base, RELANCE_INBOUND_SECRET: secret })).toThrow(/RELANCE_INBOUND_SECRET is set without INBOUND_DOMAIN/);
    expect(() => loadConfig({ ...base, INBOUND_DOMAIN: 'localhost' })).toThrow(/INBOUND_DOMAIN must be a domain name/);
    expect(() => loadConfig({ ...base, INBOUND_DOMAIN: 'a_b.example' })).toThrow(/INBOUND_DOMAIN must be a domain name/);
    expect(() => loadConfig({ ...base, INBOUND_BODY_LIMIT: '25 gigs' })).toThrow(/INBOUND_BODY_LIMIT must be a size from 1kb to 1024mb/);
  });
});

describe('Temporal access and payload keys (loadConfig)', () => {
  const base = { DATABASE_URL: 'postgres://u:p@localhost:5432/db', TEMPORAL_ADDRESS: '127.0.0.1:7233', RELANCE_SECRET_KEYS: `s1:${Buffer.alloc(32, 9).toString('base64')}` };
  const pki = selfSignedPair();
  const key = (byte: number) => Buffer.alloc(32, byte).toString('base64');

  it('connects in plain gRPC, encrypts nothing and serves no codec endpoint when nothing is set', () => {
    expect(loadConfig(base)).toMatchObject({ payloadKeys: [], codec: { corsOrigins: [] } });
    expect(loadConfig(base).temporalTls).toBeUndefined();
    expect(loadConfig(base).temporalApiKey).toBeUndefined();
  });

  it('reads the client certificate, its key and the CA at boot', () => {
    const config = loadConfig({ ...base, TEMPORAL_TLS_CERT: pki.clientCert, TEMPORAL_TLS_KEY: pki.clientKey, TEMPORAL_TLS_CA: pki.ca, TEMPORAL_TLS_SERVER_NAME: 'localhost' });
    expect(config.temporalTls).toEqual({
      clientCertPair: { crt: readFileSync(pki.clientCert), key: readFileSync(pki.clientKey) }, serverRootCa: readFileSync(pki.ca), serverName: 'localhost',
    });
    expect(loadConfig({ ...base, TEMPORAL_API_KEY: 'cloud-key' })).toMatchObject({ temporalApiKey: 'cloud-key' });
  });

  it.each([
    [{ TEMPORAL_TLS_CERT: 'CLIENT_CERT' }, 'TEMPORAL_TLS_CERT is set without TEMPORAL_TLS_KEY: a client certificate needs its private key'],
    [{ TEMPORAL_TLS_KEY: 'CLIENT_KEY' }, 'TEMPORAL_TLS_KEY is set without TEMPORAL_TLS_CERT'],
    [{ TEMPORAL_TLS_CERT: 'CLIENT_CERT', TEMPORAL_TLS_KEY: 'STRANGER_KEY' }, 'TEMPORAL_TLS_KEY is not the private key of the certificate in TEMPORAL_TLS_CERT'],
    [{ TEMPORAL_TLS_CERT: 'CLIENT_KEY', TEMPORAL_TLS_KEY: 'CLIENT_KEY' }, 'TEMPORAL_TLS_CERT: "CLIENT_KEY" holds no PEM certificate'],
    [{ TEMPORAL_TLS_CA: '/nowhere/ca.pem' }, 'TEMPORAL_TLS_CA: cannot read "/nowhere/ca.pem" (ENOENT)'],
    [{ RELANCE_PAYLOAD_KEYS: 'k1' }, 'RELANCE_PAYLOAD_KEYS entry 1 must start with a key id'],
    [{ RELANCE_PAYLOAD_KEYS: `k1:${Buffer.alloc(16).toString('base64')}` }, 'RELANCE_PAYLOAD_KEYS key "k1" must be 32 bytes in base64 (got 16 bytes)'],
    [{ RELANCE_PAYLOAD_KEYS: `k1:${key(1)},k1:${key(2)}` }, 'RELANCE_PAYLOAD_KEYS names the key id "k1" twice'],
    [{ RELANCE_CODEC_TOKEN: 'short' }, 'RELANCE_CODEC_TOKEN must be at least 32 characters'],
    [{ RELANCE_CODEC_CORS_ORIGINS: 'http://localhost:8233/ui' }, 'RELANCE_CODEC_CORS_ORIGINS: "http://localhost:8233/ui" is not an origin'],
  ])('fails fast on %j', (vars, message) => {
    const files: Record<string, string> = { CLIENT_CERT: pki.clientCert, CLIENT_KEY: pki.clientKey, STRANGER_KEY: pki.strangerKey };
    const env = { ...base, ...Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, (files[v] ?? v)])) };
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message.replace('"CLIENT_KEY"', `"${pki.clientKey}"`));
  });

  it('never repeats a key in its refusal', () => {
    const secret = key(7);
    expect(() => loadConfig({ ...base, RELANCE_PAYLOAD_KEYS: `k1:${key(1)},bad id:${secret}` })).toThrow(/entry 2/);
    expect(() => loadConfig({ ...base, RELANCE_PAYLOAD_KEYS: `k1:${key(1)},bad id:${secret}` })).not.toThrow(secret);
  });

  it('parses the payload keys in order, the first one encrypting', () => {
    expect(loadConfig({ ...base, RELANCE_PAYLOAD_KEYS: ` k2:${key(2)} , k1:${key(1)}` }).payloadKeys)
      .toEqual([{ id: 'k2', key: Buffer.alloc(32, 2) }, { id: 'k1', key: Buffer.alloc(32, 1) }]);
  });
});

/** A self-signed certificate with its key (also standing for a CA), and a key of nothing, by the openssl CLI. */
function selfSignedPair() {
  const dir = mkdtempSync(path.join(tmpdir(), 'relance-config-'));
  const file = (name: string) => path.join(dir, name);
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', file('client.key'),
    '-out', file('client.crt'), '-days', '2', '-subj', '/CN=relance-worker'], { stdio: 'pipe' });
  execFileSync('openssl', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-out', file('stranger.key')], { stdio: 'pipe' });
  return { clientCert: file('client.crt'), clientKey: file('client.key'), strangerKey: file('stranger.key'), ca: file('client.crt') };
}

import { ConfigError, DEFAULT_SCHEDULE_JITTER_SECONDS, DEFAULT_WORKER_LIMITS, loadConfig } from './config';

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
});

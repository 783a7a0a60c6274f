import { ConfigError, DEFAULT_ABUSE_LIMITS, DEFAULT_SCHEDULE_JITTER_SECONDS, DEFAULT_WORKER_LIMITS, loadConfig } from './config';

describe(loadConfig.name, () => {
  const base = { DATABASE_URL: 'postgres://u:p@localhost:5432/db', TEMPORAL_ADDRESS: '127.0.0.1:7233' };

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
    expect(DEFAULT_ABUSE_LIMITS).toEqual({ signupsPerHour: 10, delegationChangesPerDay: 20, linkGuessesPer10Minutes: 20 });
  });

  it('takes the sign-up mode, its token and the limits from the environment', () => {
    const token = 'a'.repeat(64);
    expect(loadConfig({ ...base, RELANCE_SIGNUP: 'token', RELANCE_SIGNUP_TOKEN: ` ${token} ` }).signup).toEqual({ mode: 'token', token });
    expect(loadConfig({ ...base, RELANCE_SIGNUP: 'closed' }).signup).toEqual({ mode: 'closed' });
    expect(loadConfig({ ...base, RELANCE_SIGNUP_RATE: '3', RELANCE_DELEGATION_RATE: '4', RELANCE_LINK_GUESS_RATE: '5' }).limits)
      .toEqual({ signupsPerHour: 3, delegationChangesPerDay: 4, linkGuessesPer10Minutes: 5 });
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

import type { DataSource } from 'typeorm';
import { DEFAULT_ABUSE_LIMITS } from '../config';
import { memoryRateLimits, postgresRateLimits, rateLimitRules } from './rate-limits';

describe(rateLimitRules.name, () => {
  it('counts sign-ups and sign-in links (per address and per client) per hour, delegation changes per day, wrong links per 10 minutes and decisions per minute', () => {
    expect(rateLimitRules(DEFAULT_ABUSE_LIMITS)).toEqual({
      signup: { points: 10, durationSeconds: 3600 },
      delegation: { points: 20, durationSeconds: 86_400 },
      'link-guess': { points: 20, durationSeconds: 600 },
      'sign-in': { points: 5, durationSeconds: 3600 },
      'sign-in-client': { points: 100, durationSeconds: 3600 },
      decision: { points: 600, durationSeconds: 60 },
    });
  });
});

describe('RateLimits', () => {
  const rules = rateLimitRules({ signupsPerHour: 2, delegationChangesPerDay: 1, linkGuessesPer10Minutes: 1, signInLinksPerHour: 1, signInLinksPerClientPerHour: 1, decisionsPerMinute: 5 });

  beforeEach(() => jest.useFakeTimers({ now: new Date('2026-12-06T12:00:00Z') }));
  afterEach(() => jest.useRealTimers());

  it('allows the window\'s points, then refuses with the seconds left until the window ends, and allows again after it', async () => {
    const limits = memoryRateLimits(rules);
    expect(await limits.consume('signup', '198.18.0.1')).toEqual({ allowed: true });
    jest.advanceTimersByTime(600_000);
    expect(await limits.consume('signup', '198.18.0.1')).toEqual({ allowed: true });
    expect(await limits.consume('signup', '198.18.0.1')).toEqual({ allowed: false, retryAfterSeconds: 3000 });
    jest.advanceTimersByTime(3_000_000);
    expect(await limits.consume('signup', '198.18.0.1')).toEqual({ allowed: true });
  });

  it('counts each kind and each key apart', async () => {
    const limits = memoryRateLimits(rules);
    expect(await limits.consume('delegation', 'user-1')).toEqual({ allowed: true });
    expect(await limits.consume('delegation', 'user-1')).toMatchObject({ allowed: false });
    expect(await limits.consume('delegation', 'user-2')).toEqual({ allowed: true });
    expect(await limits.consume('link-guess', 'user-1')).toEqual({ allowed: true });
  });

  it('counts several points at once (a bulk call\'s items): refused past the allowance, and the refused call counts too', async () => {
    const limits = memoryRateLimits(rules);
    expect(await limits.consume('decision', 'user-1', 4)).toEqual({ allowed: true });
    expect(await limits.consume('decision', 'user-1', 2)).toEqual({ allowed: false, retryAfterSeconds: 60 });
    expect(await limits.consume('decision', 'user-1')).toMatchObject({ allowed: false });
    expect(await limits.consume('decision', 'user-2', 5)).toEqual({ allowed: true });
    jest.advanceTimersByTime(60_000);
    expect(await limits.consume('decision', 'user-1', 5)).toEqual({ allowed: true });
  });

  it('never lets a request through uncounted: a failing store rejects with its error', async () => {
    const down = new Error('connect ECONNREFUSED 127.0.0.1:5432');
    const dataSource = { driver: { master: { query: () => Promise.reject(down) } } } as unknown as DataSource;
    await expect(postgresRateLimits(dataSource, rules).consume('signup', '198.18.0.1')).rejects.toBe(down);
  });
});

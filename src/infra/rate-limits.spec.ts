import type { DataSource } from 'typeorm';
import { DEFAULT_ABUSE_LIMITS } from '../config';
import { type CountingStore, leasedRateLimits, leaseSize, memoryRateLimits, postgresRateLimits, rateLimitRules, type RateLimitKind } from './rate-limits';

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

describe(leasedRateLimits.name, () => {
  const rules = rateLimitRules({ ...DEFAULT_ABUSE_LIMITS, decisionsPerMinute: 600 });
  /** The shared store (Postgres in the API), counting the statements the processes send it. */
  const countedStore = (storeRules = rules) => {
    const store = memoryRateLimits(storeRules);
    const calls: { kind: RateLimitKind; points: number }[] = [];
    const counting: CountingStore = { count: (kind, key, points) => (calls.push({ kind, points }), store.count(kind, key, points)) };
    return { counting, calls };
  };
  const spend = async (limits: ReturnType<typeof leasedRateLimits>, times: number) => {
    let allowed = 0;
    for (let i = 0; i < times; i++) if ((await limits.consume('decision', 'user-1')).allowed) allowed++;
    return allowed;
  };

  beforeEach(() => jest.useFakeTimers({ now: new Date('2026-12-07T12:00:00Z') }));
  afterEach(() => jest.useRealTimers());

  it('takes a fiftieth of the allowance at once, from one to 10', () => {
    expect([30, 99, 100, 250, 600, 100_000].map((points) => leaseSize({ points, durationSeconds: 60 }))).toEqual([1, 1, 2, 5, 10, 10]);
  });

  it('counts 600 decisions of a minute in far fewer statements, allows exactly the allowance, and refuses past it', async () => {
    const { counting, calls } = countedStore();
    const limits = leasedRateLimits(counting, rules);
    expect(await spend(limits, 600)).toBe(600);
    expect(await limits.consume('decision', 'user-1')).toEqual({ allowed: false, retryAfterSeconds: 60 });
    // Leases of 10 while two leases or more are left (59, down to 10 left), then each use counted (10), then the refusal.
    expect(calls.length).toBe(70);
  });

  it('concurrent decisions of one user share a lease: 16 at once cost two statements, 600 at once lose none of the allowance', async () => {
    const { counting, calls } = countedStore();
    const limits = leasedRateLimits(counting, rules);
    const verdicts = await Promise.all(Array.from({ length: 16 }, () => limits.consume('decision', 'user-1')));
    expect(verdicts.every((v) => v.allowed)).toBe(true);
    expect(calls).toHaveLength(2);
    const more = await Promise.all(Array.from({ length: 600 }, () => limits.consume('decision', 'user-1')));
    expect(more.filter((v) => v.allowed)).toHaveLength(600 - 16);
  });

  it('two API processes sharing the store never allow more than the allowance together', async () => {
    const { counting } = countedStore();
    const [a, b] = [leasedRateLimits(counting, rules), leasedRateLimits(counting, rules)];
    let allowed = 0;
    for (let i = 0; i < 700; i++) if ((await (i % 3 === 0 ? a : b).consume('decision', 'user-1')).allowed) allowed++;
    expect(allowed).toBeLessThanOrEqual(600);
    expect(allowed).toBeGreaterThanOrEqual(600 - 2 * 9);
  });

  it('a lease ends with its window: uses left in it are not spent in the next one', async () => {
    const { counting, calls } = countedStore();
    const limits = leasedRateLimits(counting, rules);
    expect(await spend(limits, 3)).toBe(3);
    expect(calls).toHaveLength(1);
    jest.advanceTimersByTime(60_000);
    expect(await spend(limits, 1)).toBe(1);
    expect(calls).toHaveLength(2);
  });

  it('counts a bulk call\'s items, and each use of the kinds that guard guessing or sign-ups', async () => {
    const { counting, calls } = countedStore();
    const limits = leasedRateLimits(counting, rules);
    expect(await limits.consume('decision', 'user-1', 100)).toEqual({ allowed: true });
    expect(calls.at(-1)).toEqual({ kind: 'decision', points: 100 });
    await limits.consume('link-guess', '198.18.0.1');
    await limits.consume('link-guess', '198.18.0.1');
    expect(calls.filter((c) => c.kind === 'link-guess')).toHaveLength(2);
  });

  it('an allowance under 100 a minute counts each decision, refusing exactly as without leases', async () => {
    const five = rateLimitRules({ ...DEFAULT_ABUSE_LIMITS, decisionsPerMinute: 5 });
    const { counting, calls } = countedStore(five);
    const limits = leasedRateLimits(counting, five);
    expect(await spend(limits, 6)).toBe(5);
    expect(calls).toHaveLength(6);
  });
});

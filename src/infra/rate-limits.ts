import { RateLimiterAbstract, RateLimiterMemory, RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import type { DataSource } from 'typeorm';
import type { AbuseLimits } from '../config';

/**
 * What is counted, and by what key: sign-up attempts by client address, delegation changes by user, unknown decision
 * and sign-in links by client address, sign-in links asked by email address and by client address, approval decisions
 * through the API by user (each item of a bulk call counts as one).
 */
export type RateLimitKind = 'signup' | 'delegation' | 'link-guess' | 'sign-in' | 'sign-in-client' | 'decision';

export interface RateLimitRule {
  points: number;
  durationSeconds: number;
}

export type RateLimitRules = Record<RateLimitKind, RateLimitRule>;

export type RateLimitVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * Counts `points` uses (default one) of `kind` by `key` in the current window; refused once the window's allowance
 * is used up. A refused call counts too.
 */
export interface RateLimits {
  consume(kind: RateLimitKind, key: string, points?: number): Promise<RateLimitVerdict>;
}

export const RATE_LIMITS = Symbol('RATE_LIMITS');

/** The windows are fixed: the first use opens one, and the count starts again from zero when it ends. */
export function rateLimitRules(limits: AbuseLimits): RateLimitRules {
  return {
    signup: { points: limits.signupsPerHour, durationSeconds: 3600 },
    delegation: { points: limits.delegationChangesPerDay, durationSeconds: 86_400 },
    'link-guess': { points: limits.linkGuessesPer10Minutes, durationSeconds: 600 },
    'sign-in': { points: limits.signInLinksPerHour, durationSeconds: 3600 },
    'sign-in-client': { points: limits.signInLinksPerClientPerHour, durationSeconds: 3600 },
    decision: { points: limits.decisionsPerMinute, durationSeconds: 60 },
  };
}

/** The table the migration RateLimits1764800400000 makes; rows are `<kind>:<key>`. */
export const RATE_LIMITS_TABLE = 'rate_limits';

/** A verdict with what the window still holds: the uses left and when it ends. */
export type Counted = { allowed: true; remaining: number; windowEndsInMs: number } | { allowed: false; retryAfterSeconds: number };

/** Where uses are counted, answering what the window still holds. */
export interface CountingStore {
  count(kind: RateLimitKind, key: string, points: number): Promise<Counted>;
}

class LimiterRateLimits implements RateLimits, CountingStore {
  constructor(private readonly limiters: Record<RateLimitKind, RateLimiterAbstract>) {}

  async consume(kind: RateLimitKind, key: string, points = 1): Promise<RateLimitVerdict> {
    const counted = await this.count(kind, key, points);
    return counted.allowed ? { allowed: true } : counted;
  }

  async count(kind: RateLimitKind, key: string, points: number): Promise<Counted> {
    try {
      const res = await this.limiters[kind].consume(key, points);
      return { allowed: true, remaining: res.remainingPoints, windowEndsInMs: res.msBeforeNext };
    } catch (refusal) {
      // The library rejects with its result when over the limit, and with the store's error when it failed.
      if (!(refusal instanceof RateLimiterRes)) throw refusal;
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(refusal.msBeforeNext / 1000)) };
    }
  }
}

/** Uses a process takes from the shared count at once: a fiftieth of the window's allowance, from one (under 100) to 10. */
export function leaseSize(rule: RateLimitRule): number {
  return Math.min(10, Math.max(1, Math.floor(rule.points / 50)));
}

const MAX_LEASES = 10_000;

/**
 * Takes uses of the shared count a few at a time (`leaseSize`) and spends them in this process, so that a burst of
 * decisions costs one counting statement in ten instead of one each (the statement updates the user's one row, which
 * concurrent decisions wait on). While the window's last count leaves fewer than two leases, it counts each use, so
 * the allowance is never exceeded; a lease ends with its window. A user may get up to (lease - 1) uses per API
 * process fewer than the allowance, when a process holds a lease they do not spend.
 */
class LeasedRateLimits implements RateLimits {
  private readonly leases = new Map<string, { left: number; remaining: number; until: number }>();
  /** One count at a time per key: concurrent uses wait for it and spend its lease rather than each taking one. */
  private readonly counting = new Map<string, Promise<unknown>>();

  constructor(private readonly store: CountingStore, private readonly sizes: Record<RateLimitKind, number>) {}

  async consume(kind: RateLimitKind, key: string, points = 1): Promise<RateLimitVerdict> {
    const size = this.sizes[kind];
    if (size <= 1) {
      const counted = await this.store.count(kind, key, points);
      return counted.allowed ? { allowed: true } : counted;
    }
    const id = `${kind}:${key}`;
    for (;;) {
      const lease = this.leases.get(id);
      if (lease && lease.until > Date.now() && lease.left >= points) {
        lease.left -= points;
        return { allowed: true };
      }
      const inFlight = this.counting.get(id);
      if (!inFlight) break;
      await inFlight.catch(() => undefined);
    }
    const now = Date.now();
    const lease = this.leases.get(id);
    const known = lease && lease.until > now ? lease.remaining : Infinity;
    const take = known >= 2 * size ? Math.max(points, size) : points;
    const count = this.store.count(kind, key, take);
    this.counting.set(id, count);
    let counted: Counted;
    try {
      counted = await count;
    } finally {
      this.counting.delete(id);
    }
    if (!counted.allowed) return counted;
    if (this.leases.size >= MAX_LEASES) this.forgetEnded(now);
    this.leases.set(id, { left: take - points, remaining: counted.remaining, until: now + counted.windowEndsInMs });
    return { allowed: true };
  }

  private forgetEnded(now: number): void {
    for (const [id, lease] of this.leases) if (lease.until <= now) this.leases.delete(id);
  }
}

function build(rules: RateLimitRules, make: (kind: RateLimitKind, rule: RateLimitRule, first: boolean) => RateLimiterAbstract): LimiterRateLimits {
  const kinds = Object.keys(rules) as RateLimitKind[];
  const limiters = Object.fromEntries(kinds.map((kind, i) => [kind, make(kind, rules[kind], i === 0)])) as Record<RateLimitKind, RateLimiterAbstract>;
  return new LimiterRateLimits(limiters);
}

/** Decisions are counted by leases (`LeasedRateLimits`); every other kind is rare, or guards guessing, and counts each use. */
export function leasedRateLimits(store: CountingStore, rules: RateLimitRules): RateLimits {
  const sizes = Object.fromEntries((Object.keys(rules) as RateLimitKind[]).map((kind) => [kind, kind === 'decision' ? leaseSize(rules[kind]) : 1]));
  return new LeasedRateLimits(store, sizes as Record<RateLimitKind, number>);
}

/**
 * Counted in Postgres through the data source's pool, so that every API process counts into the same windows. A
 * failing database rejects (the API's 503), never lets a request through uncounted.
 */
export function postgresRateLimits(dataSource: DataSource, rules: RateLimitRules): RateLimits {
  return leasedRateLimits(build(rules, (kind, rule, first) => new RateLimiterPostgres({
    storeClient: dataSource, storeType: 'typeorm', tableName: RATE_LIMITS_TABLE, tableCreated: true, keyPrefix: kind,
    points: rule.points, duration: rule.durationSeconds,
    // Ended windows are deleted every 5 minutes; one limiter's delete covers the whole table.
    clearExpiredByTimeout: first,
  })), rules);
}

/** Counted in this process only: for specs (`leasedRateLimits` over it counts as the API does). */
export function memoryRateLimits(rules: RateLimitRules): RateLimits & CountingStore {
  return build(rules, (kind, rule) => new RateLimiterMemory({ keyPrefix: kind, points: rule.points, duration: rule.durationSeconds }));
}

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

class LimiterRateLimits implements RateLimits {
  constructor(private readonly limiters: Record<RateLimitKind, RateLimiterAbstract>) {}

  async consume(kind: RateLimitKind, key: string, points = 1): Promise<RateLimitVerdict> {
    try {
      await this.limiters[kind].consume(key, points);
      return { allowed: true };
    } catch (refusal) {
      // The library rejects with its result when over the limit, and with the store's error when it failed.
      if (!(refusal instanceof RateLimiterRes)) throw refusal;
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(refusal.msBeforeNext / 1000)) };
    }
  }
}

function build(rules: RateLimitRules, make: (kind: RateLimitKind, rule: RateLimitRule, first: boolean) => RateLimiterAbstract): RateLimits {
  const kinds = Object.keys(rules) as RateLimitKind[];
  const limiters = Object.fromEntries(kinds.map((kind, i) => [kind, make(kind, rules[kind], i === 0)])) as Record<RateLimitKind, RateLimiterAbstract>;
  return new LimiterRateLimits(limiters);
}

/**
 * Counted in Postgres through the data source's pool, so that every API process counts into the same windows. A
 * failing database rejects (the API's 503), never lets a request through uncounted.
 */
export function postgresRateLimits(dataSource: DataSource, rules: RateLimitRules): RateLimits {
  return build(rules, (kind, rule, first) => new RateLimiterPostgres({
    storeClient: dataSource, storeType: 'typeorm', tableName: RATE_LIMITS_TABLE, tableCreated: true, keyPrefix: kind,
    points: rule.points, duration: rule.durationSeconds,
    // Ended windows are deleted every 5 minutes; one limiter's delete covers the whole table.
    clearExpiredByTimeout: first,
  }));
}

/** Counted in this process only: for specs. */
export function memoryRateLimits(rules: RateLimitRules): RateLimits {
  return build(rules, (kind, rule) => new RateLimiterMemory({ keyPrefix: kind, points: rule.points, duration: rule.durationSeconds }));
}

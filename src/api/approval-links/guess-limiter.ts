/**
 * Counts the failed lookups of decision links per client address over a sliding window, in this process only (each
 * API process keeps its own count: with N processes an address gets N times the allowance, still far too few to
 * guess a 256-bit token).
 */
export class GuessLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly max = 20, private readonly windowMs = 10 * 60_000, private readonly now = () => Date.now()) {}

  blocked(ip: string): boolean {
    return this.recent(ip).length >= this.max;
  }

  fail(ip: string): void {
    const kept = this.recent(ip);
    kept.push(this.now());
    this.failures.set(ip, kept);
    if (this.failures.size > 10_000) this.sweep();
  }

  private recent(ip: string): number[] {
    const since = this.now() - this.windowMs;
    return (this.failures.get(ip) ?? []).filter((at) => at > since);
  }

  private sweep(): void {
    for (const ip of [...this.failures.keys()]) {
      if (this.recent(ip).length === 0) this.failures.delete(ip);
    }
  }
}

/* eslint-disable @typescript-eslint/no-require-imports */
const plan = require('../../scripts/lib/chaos/plan') as {
  rng(seed: number): () => number;
  kindOf(target: string): string;
  killsPerKind(minutes: number): number;
  killSchedule(o: { seed: number; minutes: number; targets: string[] }): { target: string; gapMs: number; downMs: number }[];
  percentile(values: number[], p: number): number | null;
};

const TARGETS = ['api-1', 'api-2', 'worker-1', 'worker-2', 'temporal', 'postgres'];

describe('the chaos soak\'s kill schedule', () => {
  it('is the same for the same seed, and another for another seed', () => {
    expect(plan.killSchedule({ seed: 42, minutes: 10, targets: TARGETS })).toEqual(plan.killSchedule({ seed: 42, minutes: 10, targets: TARGETS }));
    expect(plan.killSchedule({ seed: 43, minutes: 10, targets: TARGETS })).not.toEqual(plan.killSchedule({ seed: 42, minutes: 10, targets: TARGETS }));
  });

  it('puts three kills of each kind first in 10 minutes, one in 3, whatever the seed', () => {
    expect(plan.killsPerKind(10)).toBe(3);
    expect(plan.killsPerKind(3)).toBe(1);
    for (let seed = 1; seed <= 200; seed += 1) {
      for (const minutes of [3, 10]) {
        const promised = plan.killSchedule({ seed, minutes, targets: TARGETS }).slice(0, 4 * plan.killsPerKind(minutes));
        for (const kind of ['api', 'worker', 'temporal', 'postgres']) {
          expect(promised.filter((k) => plan.kindOf(k.target) === kind)).toHaveLength(plan.killsPerKind(minutes));
        }
      }
    }
  });

  it('has the promised kills fit in the phase: at most 12 s before a kill and 15 s down, so 12 kills take 324 s of 600', () => {
    for (let seed = 1; seed <= 200; seed += 1) {
      const schedule = plan.killSchedule({ seed, minutes: 10, targets: TARGETS });
      for (const k of schedule) {
        expect(k.gapMs).toBeGreaterThanOrEqual(3000);
        expect(k.gapMs).toBeLessThanOrEqual(12000);
        expect(k.downMs).toBeGreaterThanOrEqual(1000);
        expect(k.downMs).toBeLessThanOrEqual(15000);
      }
      expect(schedule.reduce((ms, k) => ms + k.gapMs + k.downMs, 0)).toBeGreaterThanOrEqual(600_000);
    }
  });

  it('percentile answers the nearest rank, null for nothing', () => {
    expect(plan.percentile([], 50)).toBeNull();
    expect(plan.percentile([5, 1, 3], 50)).toBe(3);
    expect(plan.percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 99)).toBe(10);
    expect(plan.percentile([1, 2, 3, 4], 50)).toBe(2);
  });
});

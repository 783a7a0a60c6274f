'use strict';
// The soak's randomness, all from one seed: the kill schedule and the workload's choices replay with CHAOS_SEED.

/** mulberry32: a small seeded PRNG; answers a function giving floats in [0, 1). */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A few draws over one generator. */
function chooser(random) {
  const between = (min, max) => min + Math.floor(random() * (max - min + 1));
  const pick = (list) => list[Math.floor(random() * list.length)];
  const shuffle = (list) => {
    const out = [...list];
    for (let i = out.length - 1; i > 0; i -= 1) {
      const j = Math.floor(random() * (i + 1));
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  };
  return { random, between, pick, shuffle };
}

/** The kind of a target: `api-2` is an `api`, `temporal` a `temporal`. */
const kindOf = (target) => target.replace(/-\d+$/, '');

/** How many kills of each kind a chaos phase of `minutes` promises: three in 10 minutes (9 of them chaos), at least one. */
function killsPerKind(minutes) {
  return Math.max(1, Math.round((3 * minutes) / 9));
}

/**
 * The kill schedule of a chaos phase: for each kill, the target, the wait before it (`gapMs`, from the last restart)
 * and how long the target stays down (`downMs`). Each kind of target comes first `killsPerKind(minutes)` times in a
 * shuffled order, then random targets, enough to fill the phase even with no time spent restarting; the soak runs it in
 * order until the phase ends, so that the promised kills come first.
 */
function killSchedule({ seed, minutes, targets, gapMs = [3000, 12000], downMs = [1000, 15000] }) {
  const c = chooser(rng(seed ^ 0x9e3779b9));
  const kinds = [...new Set(targets.map(kindOf))];
  const ofKind = (kind) => targets.filter((t) => kindOf(t) === kind);
  const promised = c.shuffle(kinds.flatMap((kind) => Array.from({ length: killsPerKind(minutes) }, () => kind)))
    .map((kind) => c.pick(ofKind(kind)));
  const budget = minutes * 60_000;
  const schedule = [];
  let spent = 0;
  for (let i = 0; spent < budget || i < promised.length; i += 1) {
    const kill = { target: promised[i] ?? c.pick(targets), gapMs: c.between(gapMs[0], gapMs[1]), downMs: c.between(downMs[0], downMs[1]) };
    schedule.push(kill);
    spent += kill.gapMs + kill.downMs;
  }
  return schedule;
}

/** The p-th percentile (0..100) of numbers, nearest rank; null for none. */
function percentile(values, p) {
  if (!values.length) return null;
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

module.exports = { rng, chooser, kindOf, killsPerKind, killSchedule, percentile };

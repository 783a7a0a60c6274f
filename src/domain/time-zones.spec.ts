import { canonicalTimeZone, TIME_ZONE_ALIASES, TIME_ZONE_NAMES, TIME_ZONES } from './time-zones';

describe(canonicalTimeZone.name, () => {
  it('answers an alias as its canonical zone', () => {
    expect(canonicalTimeZone('America/Montreal')).toBe('America/Toronto');
    expect(canonicalTimeZone('US/Eastern')).toBe('America/New_York');
    expect(canonicalTimeZone('Canada/Pacific')).toBe('America/Vancouver');
    expect(canonicalTimeZone('Etc/UTC')).toBe('UTC');
    expect(canonicalTimeZone('america/montreal')).toBe('America/Toronto');
  });

  it('answers a canonical zone as itself, in its own letter case', () => {
    expect(canonicalTimeZone('America/Toronto')).toBe('America/Toronto');
    expect(canonicalTimeZone('europe/paris')).toBe('Europe/Paris');
    expect(canonicalTimeZone('UTC')).toBe('UTC');
    for (const zone of TIME_ZONES) expect(canonicalTimeZone(zone)).toBe(zone);
  });

  it('knows nothing else', () => {
    for (const name of ['Mars/Olympus', 'Toronto', '', 'SystemV/EST5', 'Factory', 'Etc/GMT+5', 'GMT', 42, null]) expect(canonicalTimeZone(name)).toBeUndefined();
  });

  it('agrees with Node\'s ICU on every alias of the table, each of which lands on a canonical zone', () => {
    const disagreements = Object.entries(TIME_ZONE_ALIASES).filter(([alias, zone]) =>
      new Intl.DateTimeFormat('en-US', { timeZone: alias }).resolvedOptions().timeZone !== zone || !TIME_ZONES.includes(zone));
    expect(disagreements).toEqual([]);
    expect(TIME_ZONE_NAMES.length).toBe(TIME_ZONES.length + Object.keys(TIME_ZONE_ALIASES).length);
  });
});

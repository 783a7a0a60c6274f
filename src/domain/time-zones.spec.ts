import { canonicalTimeZone, TIME_ZONE_ALIASES, TIME_ZONE_NAMES, TIME_ZONES } from './time-zones';

/** The zone Node's ICU takes a name for (it answers its own canonical name, e.g. Asia/Calcutta for Asia/Kolkata). */
const icuZone = (timeZone: string) => new Intl.DateTimeFormat('en-US', { timeZone }).resolvedOptions().timeZone;

describe(canonicalTimeZone.name, () => {
  it('answers an alias as its canonical zone', () => {
    expect(canonicalTimeZone('America/Montreal')).toBe('America/Toronto');
    expect(canonicalTimeZone('US/Eastern')).toBe('America/New_York');
    expect(canonicalTimeZone('Canada/Pacific')).toBe('America/Vancouver');
    expect(canonicalTimeZone('Etc/UTC')).toBe('UTC');
    expect(canonicalTimeZone('america/montreal')).toBe('America/Toronto');
  });

  it('answers IANA\'s canonical names, not the legacy ones ICU keeps', () => {
    const modern: Record<string, string> = {
      'Asia/Calcutta': 'Asia/Kolkata', 'Europe/Kiev': 'Europe/Kyiv', 'Asia/Saigon': 'Asia/Ho_Chi_Minh', 'America/Godthab': 'America/Nuuk',
      'Asia/Katmandu': 'Asia/Kathmandu', 'Asia/Rangoon': 'Asia/Yangon', 'Atlantic/Faeroe': 'Atlantic/Faroe',
      'America/Buenos_Aires': 'America/Argentina/Buenos_Aires', 'America/Indianapolis': 'America/Indiana/Indianapolis',
      'Europe/Zaporozhye': 'Europe/Kyiv', 'asia/calcutta': 'Asia/Kolkata',
    };
    for (const [legacy, zone] of Object.entries(modern)) {
      expect([legacy, canonicalTimeZone(legacy)]).toEqual([legacy, zone]);
      expect([zone, canonicalTimeZone(zone)]).toEqual([zone, zone]);
    }
    expect(TIME_ZONES).not.toContain('Asia/Calcutta');
    expect(TIME_ZONES).not.toContain('Europe/Kiev');
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

  it('takes only names Node\'s ICU takes, and maps an alias only to a zone ICU takes it for', () => {
    const unknownToIcu = TIME_ZONE_NAMES.filter((name) => {
      try {
        icuZone(name);
        return false;
      } catch {
        return true;
      }
    });
    expect(unknownToIcu).toEqual([]);
    const disagreements = Object.entries(TIME_ZONE_ALIASES)
      .filter(([alias, zone]) => icuZone(alias) !== icuZone(zone) || !TIME_ZONES.includes(zone))
      .map(([alias, zone]) => `${alias} -> ${zone}`);
    expect(disagreements).toEqual([]);
    expect(TIME_ZONE_NAMES.length).toBe(TIME_ZONES.length + Object.keys(TIME_ZONE_ALIASES).length);
  });
});

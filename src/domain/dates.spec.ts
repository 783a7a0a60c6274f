import { addDays, daysBetween, isValidDate, isValidTimezone, todayIn } from './dates';

describe(todayIn.name, () => {
  it('gives the calendar day in the zone, not in UTC', () => {
    const instant = new Date('2026-03-01T03:30:00Z');
    expect(todayIn('UTC', instant)).toBe('2026-03-01');
    expect(todayIn('America/Toronto', instant)).toBe('2026-02-28');
    expect(todayIn('Pacific/Auckland', new Date('2026-12-31T12:00:00Z'))).toBe('2027-01-01');
  });
});

describe(addDays.name, () => {
  it('crosses months, leap days and years in both directions', () => {
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
    expect(addDays('2026-05-10', 0)).toBe('2026-05-10');
  });

  it('refuses a malformed day', () => {
    expect(() => addDays('2026-5-1', 1)).toThrow(RangeError);
  });
});

describe(daysBetween.name, () => {
  it('counts whole days, across DST changes', () => {
    expect(daysBetween('2026-03-07', '2026-03-09')).toBe(2);
    expect(daysBetween('2026-03-09', '2026-03-07')).toBe(-2);
  });
});

describe(isValidDate.name, () => {
  it('accepts real days only', () => {
    expect(isValidDate('2028-02-29')).toBe(true);
    expect(isValidDate('2026-02-29')).toBe(false);
    expect(isValidDate('2026-13-01')).toBe(false);
    expect(isValidDate('2026-1-01')).toBe(false);
    expect(isValidDate(20260101)).toBe(false);
  });
});

describe(isValidTimezone.name, () => {
  it('knows IANA zones', () => {
    expect(isValidTimezone('America/Montreal')).toBe(true);
    expect(isValidTimezone('UTC')).toBe(true);
    expect(isValidTimezone('Mars/Olympus')).toBe(false);
    expect(isValidTimezone('')).toBe(false);
    expect(isValidTimezone(undefined)).toBe(false);
  });
});

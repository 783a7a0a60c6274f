/** Calendar days are 'YYYY-MM-DD' strings; the day an instant falls on depends on the company's timezone. */

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const formatters = new Map<string, Intl.DateTimeFormat>();

function dayFormatter(timezone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timezone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(timezone, formatter);
  }
  return formatter;
}

/** The calendar day (YYYY-MM-DD) that `now` falls on in the IANA `timezone`. */
export function todayIn(timezone: string, now: Date): string {
  const parts = dayFormatter(timezone).formatToParts(now);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** The calendar day `n` days after (or before, when negative) `date`. */
export function addDays(date: string, n: number): string {
  const match = DATE_RE.exec(date);
  if (!match || !Number.isInteger(n)) throw new RangeError(`addDays: invalid arguments (${date}, ${n})`);
  const day = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + n));
  return day.toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: string, to: string): number {
  const a = Date.parse(`${from}T00:00:00Z`);
  const b = Date.parse(`${to}T00:00:00Z`);
  return Math.round((b - a) / 86_400_000);
}

/** A real calendar day written YYYY-MM-DD (rejects 2026-02-30). */
export function isValidDate(s: unknown): s is string {
  if (typeof s !== 'string') return false;
  const match = DATE_RE.exec(s);
  if (!match) return false;
  const day = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return day.getUTCFullYear() === Number(match[1]) && day.toISOString().slice(0, 10) === s;
}

/** An IANA zone name that Intl knows ("America/Toronto", "UTC"). */
export function isValidTimezone(tz: unknown): tz is string {
  if (typeof tz !== 'string' || tz.length === 0 || tz.length > 64) return false;
  try {
    dayFormatter(tz);
    return true;
  } catch {
    return false;
  }
}

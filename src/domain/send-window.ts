import { addDays, todayIn } from './dates';

/**
 * The company's send window: customer emails go only between `from` and `to` on `days`, in the
 * customer's timezone. A delivery due outside it waits for `nextOpening`.
 */

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface SendWindow {
  /** HH:MM, local time of the customer. */
  from: string;
  /** HH:MM, after `from`: the window closes at this minute. */
  to: string;
  days: Weekday[];
}

export class SendWindowError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SendWindowError';
  }
}

const TIME_RE = /^([01]\d|2[0-3]):[0-5]\d$/;

/** Checks a window given by a user; throws SendWindowError naming the culprit. */
export function validateSendWindow(value: unknown): SendWindow {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new SendWindowError('sendWindow must be { "from": "08:00", "to": "18:00", "days": ["mon", ...] } or null');
  }
  const { from, to, days, ...extra } = value as Record<string, unknown>;
  const unexpected = Object.keys(extra)[0];
  if (unexpected) throw new SendWindowError(`sendWindow: unexpected property "${unexpected}"; expected from, to, days`);
  if (typeof from !== 'string' || !TIME_RE.test(from)) throw new SendWindowError(`sendWindow.from must be HH:MM (24-hour), not ${JSON.stringify(from)}`);
  if (typeof to !== 'string' || !TIME_RE.test(to)) throw new SendWindowError(`sendWindow.to must be HH:MM (24-hour), not ${JSON.stringify(to)}`);
  if (to <= from) throw new SendWindowError(`sendWindow.to (${to}) must be after sendWindow.from (${from})`);
  if (!Array.isArray(days) || days.length === 0) throw new SendWindowError('sendWindow.days must be a non-empty list of mon, tue, wed, thu, fri, sat, sun');
  days.forEach((d, i) => {
    if (!(WEEKDAYS as readonly unknown[]).includes(d)) throw new SendWindowError(`sendWindow.days[${i}]: ${JSON.stringify(d)} is not one of ${WEEKDAYS.join(', ')}`);
  });
  const set = new Set(days as Weekday[]);
  return { from, to, days: WEEKDAYS.filter((d) => set.has(d)) };
}

const offsetFormatters = new Map<string, Intl.DateTimeFormat>();

/** Minutes the zone is ahead of UTC at `instant`. */
function offsetMinutes(timezone: string, instant: number): number {
  let f = offsetFormatters.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    });
    offsetFormatters.set(timezone, f);
  }
  const p = Object.fromEntries(f.formatToParts(new Date(instant)).map((x) => [x.type, x.value]));
  const asUtc = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
  return Math.round((asUtc - Math.floor(instant / 1000) * 1000) / 60_000);
}

/** The instant a local wall time of `day` has in `timezone` (a time skipped by a DST change moves forward by the gap). */
export function zonedInstant(day: string, time: string, timezone: string): Date {
  const [y, m, d] = day.split('-').map(Number);
  const [hh, mm] = time.split(':').map(Number);
  const wall = Date.UTC(y, m - 1, d, hh, mm);
  const first = wall - offsetMinutes(timezone, wall) * 60_000;
  const second = wall - offsetMinutes(timezone, first) * 60_000;
  return new Date(offsetMinutes(timezone, second) === offsetMinutes(timezone, first) ? second : Math.max(first, second));
}

function weekdayOf(day: string): Weekday {
  return WEEKDAYS[new Date(`${day}T00:00:00Z`).getUTCDay()];
}

/** `at` itself when the window is open then, else the instant it next opens (null window: always open). */
export function nextOpening(window: SendWindow | null, timezone: string, at: Date): Date {
  if (!window) return at;
  const today = todayIn(timezone, at);
  for (let i = 0; i <= 7; i += 1) {
    const day = addDays(today, i);
    if (!window.days.includes(weekdayOf(day))) continue;
    const opens = zonedInstant(day, window.from, timezone);
    const closes = zonedInstant(day, window.to, timezone);
    if (at < opens) return opens;
    if (at < closes) return at;
  }
  throw new SendWindowError('the send window never opens');
}

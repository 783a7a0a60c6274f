// STAND-IN (reminders branch): the real src/domain/dates.ts is written on the domain branch; drop this one for it.

/** The calendar day (YYYY-MM-DD) that `now` falls on in the IANA `timezone`. */
export function todayIn(timezone: string, now: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** The calendar day `n` days after (or before, when negative) `date`. */
export function addDays(date: string, n: number): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

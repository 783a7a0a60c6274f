/**
 * Time zones as the API stores and answers them: one name per zone, IANA's canonical one (tzdata's Zone name:
 * Asia/Kolkata, Europe/Kyiv), not the legacy names Node's ICU keeps as canonical (Asia/Calcutta, Europe/Kiev). An alias
 * a client sends (America/Montreal, US/Eastern, Asia/Calcutta) is stored as its zone's name (America/Toronto,
 * America/New_York, Asia/Kolkata), so that every answer is a value of the document's TimeZone enum. The names are data
 * (time-zone-names.ts, which says how it is made) rather than Intl's answers, so that a Node upgrade does not rename
 * stored zones; time-zones.spec.ts holds them against the running ICU.
 */
import { TIME_ZONE_ALIASES, TIME_ZONES } from './time-zone-names';

export { TIME_ZONE_ALIASES, TIME_ZONES };

/** Every name the API takes: the canonical zones and their aliases, sorted. */
export const TIME_ZONE_NAMES: readonly string[] = [...new Set([...TIME_ZONES, ...Object.keys(TIME_ZONE_ALIASES)])].sort();

const CANONICAL = new Set(TIME_ZONES);
const BY_LOWER_CASE = new Map(TIME_ZONE_NAMES.map((name) => [name.toLowerCase(), name]));

/** The canonical zone of a name the API takes (any letter case, as Intl takes it), or undefined for anything else. */
export function canonicalTimeZone(name: unknown): string | undefined {
  if (typeof name !== 'string') return undefined;
  const known = BY_LOWER_CASE.get(name.toLowerCase());
  if (!known) return undefined;
  return CANONICAL.has(known) ? known : TIME_ZONE_ALIASES[known];
}

/**
 * Time zones as the API stores and answers them: one name per zone, the one Node's ICU calls canonical
 * (`Intl.supportedValuesOf('timeZone')`, plus UTC, which it knows but does not list). Region zones only: names without
 * a `/` (GMT, Zulu) and the fixed offsets (Etc/GMT+5, whose sign is the opposite of the offset's) are not taken.
 * An alias a client sends (America/Montreal, US/Eastern) is stored as its zone's name (America/Toronto,
 * America/New_York), so that every answer is a value of the document's TimeZone enum.
 */

/** The canonical zones, sorted: what an answer holds. */
export const TIME_ZONES: readonly string[] = [...new Set([...Intl.supportedValuesOf('timeZone'), 'UTC'])].sort();

/**
 * The IANA names (tzdata's links and the zones ICU folds into another) that are aliases of a canonical zone, each
 * with that zone as Node 20's ICU resolves it; derived from tzdata's names through
 * `new Intl.DateTimeFormat('en-US', { timeZone }).resolvedOptions().timeZone` (time-zones.spec.ts holds the two together).
 */
export const TIME_ZONE_ALIASES: Readonly<Record<string, string>> = {
  'Africa/Asmara': 'Africa/Asmera', 'Africa/Timbuktu': 'Africa/Bamako', 'America/Argentina/Buenos_Aires': 'America/Buenos_Aires',
  'America/Argentina/Catamarca': 'America/Catamarca', 'America/Argentina/ComodRivadavia': 'America/Catamarca',
  'America/Argentina/Cordoba': 'America/Cordoba', 'America/Argentina/Jujuy': 'America/Jujuy',
  'America/Argentina/Mendoza': 'America/Mendoza', 'America/Atikokan': 'America/Coral_Harbour', 'America/Atka': 'America/Adak',
  'America/Ensenada': 'America/Tijuana', 'America/Fort_Wayne': 'America/Indianapolis',
  'America/Indiana/Indianapolis': 'America/Indianapolis', 'America/Kentucky/Louisville': 'America/Louisville',
  'America/Knox_IN': 'America/Indiana/Knox', 'America/Montreal': 'America/Toronto', 'America/Nipigon': 'America/Toronto',
  'America/Nuuk': 'America/Godthab', 'America/Pangnirtung': 'America/Iqaluit', 'America/Porto_Acre': 'America/Rio_Branco',
  'America/Rainy_River': 'America/Winnipeg', 'America/Rosario': 'America/Cordoba', 'America/Santa_Isabel': 'America/Tijuana',
  'America/Shiprock': 'America/Denver', 'America/Thunder_Bay': 'America/Toronto', 'America/Virgin': 'America/St_Thomas',
  'America/Yellowknife': 'America/Edmonton', 'Antarctica/South_Pole': 'Antarctica/McMurdo', 'Asia/Ashkhabad': 'Asia/Ashgabat',
  'Asia/Choibalsan': 'Asia/Ulaanbaatar', 'Asia/Chongqing': 'Asia/Shanghai', 'Asia/Chungking': 'Asia/Shanghai', 'Asia/Dacca': 'Asia/Dhaka',
  'Asia/Harbin': 'Asia/Shanghai', 'Asia/Ho_Chi_Minh': 'Asia/Saigon', 'Asia/Istanbul': 'Europe/Istanbul', 'Asia/Kashgar': 'Asia/Urumqi',
  'Asia/Kathmandu': 'Asia/Katmandu', 'Asia/Kolkata': 'Asia/Calcutta', 'Asia/Macao': 'Asia/Macau', 'Asia/Tel_Aviv': 'Asia/Jerusalem',
  'Asia/Thimbu': 'Asia/Thimphu', 'Asia/Ujung_Pandang': 'Asia/Makassar', 'Asia/Ulan_Bator': 'Asia/Ulaanbaatar',
  'Asia/Yangon': 'Asia/Rangoon', 'Atlantic/Faroe': 'Atlantic/Faeroe', 'Atlantic/Jan_Mayen': 'Arctic/Longyearbyen',
  'Australia/ACT': 'Australia/Sydney', 'Australia/Canberra': 'Australia/Sydney', 'Australia/Currie': 'Australia/Hobart',
  'Australia/LHI': 'Australia/Lord_Howe', 'Australia/NSW': 'Australia/Sydney', 'Australia/North': 'Australia/Darwin',
  'Australia/Queensland': 'Australia/Brisbane', 'Australia/South': 'Australia/Adelaide', 'Australia/Tasmania': 'Australia/Hobart',
  'Australia/Victoria': 'Australia/Melbourne', 'Australia/West': 'Australia/Perth', 'Australia/Yancowinna': 'Australia/Broken_Hill',
  'Brazil/Acre': 'America/Rio_Branco', 'Brazil/DeNoronha': 'America/Noronha', 'Brazil/East': 'America/Sao_Paulo',
  'Brazil/West': 'America/Manaus', 'Canada/Atlantic': 'America/Halifax', 'Canada/Central': 'America/Winnipeg',
  'Canada/Eastern': 'America/Toronto', 'Canada/Mountain': 'America/Edmonton', 'Canada/Newfoundland': 'America/St_Johns',
  'Canada/Pacific': 'America/Vancouver', 'Canada/Saskatchewan': 'America/Regina', 'Canada/Yukon': 'America/Whitehorse',
  'Chile/Continental': 'America/Santiago', 'Chile/EasterIsland': 'Pacific/Easter', 'Etc/GMT': 'UTC', 'Etc/Greenwich': 'UTC',
  'Etc/UCT': 'UTC', 'Etc/UTC': 'UTC', 'Etc/Universal': 'UTC', 'Etc/Zulu': 'UTC', 'Europe/Belfast': 'Europe/London',
  'Europe/Kyiv': 'Europe/Kiev', 'Europe/Nicosia': 'Asia/Nicosia', 'Europe/Tiraspol': 'Europe/Chisinau', 'Europe/Uzhgorod': 'Europe/Kiev',
  'Europe/Zaporozhye': 'Europe/Kiev', 'Mexico/BajaNorte': 'America/Tijuana', 'Mexico/BajaSur': 'America/Mazatlan',
  'Mexico/General': 'America/Mexico_City', 'Pacific/Chuuk': 'Pacific/Truk', 'Pacific/Johnston': 'Pacific/Honolulu',
  'Pacific/Kanton': 'Pacific/Enderbury', 'Pacific/Pohnpei': 'Pacific/Ponape', 'Pacific/Samoa': 'Pacific/Pago_Pago',
  'Pacific/Yap': 'Pacific/Truk', 'US/Alaska': 'America/Anchorage', 'US/Aleutian': 'America/Adak', 'US/Arizona': 'America/Phoenix',
  'US/Central': 'America/Chicago', 'US/East-Indiana': 'America/Indianapolis', 'US/Eastern': 'America/New_York',
  'US/Hawaii': 'Pacific/Honolulu', 'US/Indiana-Starke': 'America/Indiana/Knox', 'US/Michigan': 'America/Detroit',
  'US/Mountain': 'America/Denver', 'US/Pacific': 'America/Los_Angeles', 'US/Samoa': 'Pacific/Pago_Pago',
};

/** Every name the API takes: the canonical zones and their aliases, sorted. */
export const TIME_ZONE_NAMES: readonly string[] = [...new Set([...TIME_ZONES, ...Object.keys(TIME_ZONE_ALIASES)])].sort();

const CANONICAL = new Set(TIME_ZONES);
const BY_LOWER_CASE = new Map(TIME_ZONE_NAMES.map((name) => [name.toLowerCase(), name]));

/**
 * The canonical zone of a name the API takes (any letter case, as Intl takes it), or undefined for anything else.
 * The table decides where the engine's ICU would answer a name that is not canonical here.
 */
export function canonicalTimeZone(name: unknown): string | undefined {
  if (typeof name !== 'string') return undefined;
  const known = BY_LOWER_CASE.get(name.toLowerCase());
  if (!known) return undefined;
  if (CANONICAL.has(known)) return known;
  let resolved: string | undefined;
  try {
    resolved = new Intl.DateTimeFormat('en-US', { timeZone: known }).resolvedOptions().timeZone;
  } catch {
    resolved = undefined;
  }
  return resolved !== undefined && CANONICAL.has(resolved) ? resolved : TIME_ZONE_ALIASES[known];
}

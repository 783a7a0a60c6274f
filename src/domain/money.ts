// Money is a decimal string with at most two decimals ("1250.00"); arithmetic runs on bigint cents.

export const MONEY = /^(\d{1,12})(?:\.(\d{1,2}))?$/;
/** A money amount more than 0.00 (a payment's): MONEY without the zeros. */
export const POSITIVE_MONEY = /^(?!0+(?:\.0+)?$)(\d{1,12})(?:\.(\d{1,2}))?$/;

export class MoneyError extends Error {
  override name = 'MoneyError';
}

/** Parses client input into the canonical "1250.00" form, or explains precisely what is wrong. */
export function parseMoney(value: unknown, field = 'amount'): string {
  if (typeof value === 'number') {
    throw new MoneyError(`${field} must be a decimal string such as "1250.00", not a JSON number`);
  }
  if (typeof value !== 'string') throw new MoneyError(`${field} must be a decimal string such as "1250.00"`);
  const text = value.trim();
  if (text.startsWith('-')) throw new MoneyError(`${field} must not be negative, got "${value}"`);
  if (/^\d+\.\d{3,}$/.test(text)) throw new MoneyError(`${field} has more than two decimals: "${value}"`);
  if (!MONEY.test(text)) throw new MoneyError(`${field} must be a decimal string such as "1250.00", got "${value}"`);
  return fromCents(toCents(text));
}

export function isMoney(value: unknown): value is string {
  return typeof value === 'string' && MONEY.test(value);
}

export function toCents(money: string): bigint {
  const m = MONEY.exec(money.trim());
  if (!m) throw new MoneyError(`not a money amount: "${money}"`);
  return BigInt(m[1]) * 100n + BigInt((m[2] ?? '').padEnd(2, '0'));
}

export function fromCents(cents: bigint): string {
  const negative = cents < 0n;
  const abs = negative ? -cents : cents;
  return `${negative ? '-' : ''}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
}

export function compareMoney(a: string, b: string): -1 | 0 | 1 {
  const d = toCents(a) - toCents(b);
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}

export function addMoney(...values: string[]): string {
  return fromCents(values.reduce((sum, v) => sum + toCents(v), 0n));
}

export function subtractMoney(a: string, b: string): string {
  return fromCents(toCents(a) - toCents(b));
}

/** The ISO 4217 codes Intl formats (what a company's currency and a message's `currency=` option may be). */
export const CURRENCY_CODES: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency'));

/**
 * Exact decimal strings for money (numeric(14,2)): parsed to bigint cents, never to a float.
 * Temporary home until src/domain/money.ts lands.
 */

const DECIMAL_RE = /^(-)?(\d{1,12})(?:\.(\d{1,2}))?$/;

/** Cents of a decimal string with at most 12 integer digits and 2 decimals, or null if it is not one. */
export function parseCents(value: string): bigint | null {
  const match = DECIMAL_RE.exec(value);
  if (!match) return null;
  const cents = BigInt(match[2]) * 100n + BigInt((match[3] ?? '').padEnd(2, '0'));
  return match[1] && cents !== 0n ? -cents : cents;
}

/** The canonical decimal string ("1250.00") of an amount in cents. */
export function formatCents(cents: bigint): string {
  const negative = cents < 0n;
  const abs = negative ? -cents : cents;
  const units = abs / 100n;
  const rest = (abs % 100n).toString().padStart(2, '0');
  return `${negative ? '-' : ''}${units}.${rest}`;
}

/** -1, 0 or 1, exactly, for two decimal strings; throws on anything that is not a decimal. */
export function compareDecimal(a: string, b: string): number {
  const x = parseCents(a);
  const y = parseCents(b);
  if (x === null || y === null) throw new RangeError(`not a decimal amount: ${x === null ? a : b}`);
  return x < y ? -1 : x > y ? 1 : 0;
}

import { BadRequestException } from '@nestjs/common';

/** `?sent=true|false` style flags, already validated by the DTO. */
export function flag(value: 'true' | 'false' | undefined): boolean | undefined {
  return value === undefined ? undefined : value === 'true';
}

/** A `from`/`to` day range, inclusive; refuses a range that ends before it starts. */
export function assertRange(from: string | undefined, to: string | undefined, names: [string, string]): void {
  if (from && to && from > to) {
    throw new BadRequestException(`${names[0]} (${from}) must not be after ${names[1]} (${to})`);
  }
}

/** An instant from a validated ISO 8601 string; forms that Date cannot read are refused rather than stored wrong. */
export function parseInstant(value: string | undefined, field: string): Date | undefined {
  if (value === undefined) return undefined;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) {
    throw new BadRequestException(`${field} must be an ISO 8601 date-time such as "2026-12-14T16:00:00Z", got "${value}"`);
  }
  return date;
}

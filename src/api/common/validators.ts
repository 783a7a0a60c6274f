import { registerDecorator, ValidationOptions } from 'class-validator';
import { isMoney, POSITIVE_MONEY } from '../../domain/money';
import { splitList } from './pagination';

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isDateOnly(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = DATE_ONLY.exec(value);
  if (!m) return false;
  // setUTCFullYear, not Date.UTC: Date.UTC reads the years 0-99 as 1900-1999 and would refuse 0027-03-13.
  const d = new Date(0);
  d.setUTCFullYear(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/** A money amount: a decimal string, at most two decimals, not negative ("1250.00"); `positive`: more than 0.00. */
export function IsMoney(options?: ValidationOptions & { positive?: boolean }): PropertyDecorator {
  const { positive, ...validation } = options ?? {};
  return (target, propertyName) =>
    registerDecorator({
      name: 'isMoney',
      target: target.constructor,
      propertyName: propertyName as string,
      options: validation,
      validator: {
        validate: (value: unknown) => isMoney(value) && (!positive || POSITIVE_MONEY.test(value)),
        defaultMessage: (args) => {
          const v = args?.value;
          if (positive && isMoney(v)) return `${args?.property} must be more than 0.00, got "${v}"`;
          if (typeof v === 'number') return `${args?.property} must be a decimal string such as "1250.00", not a JSON number`;
          if (typeof v === 'string' && v.trim().startsWith('-')) return `${args?.property} must not be negative, got "${v}"`;
          if (typeof v === 'string' && /^\d+\.\d{3,}$/.test(v)) return `${args?.property} has more than two decimals: "${v}"`;
          return `${args?.property} must be a decimal string such as "1250.00"`;
        },
      },
    });
}

/** A calendar day, YYYY-MM-DD, that exists (no 2026-02-30). */
export function IsDateOnly(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isDateOnly',
      target: target.constructor,
      propertyName: propertyName as string,
      options,
      validator: {
        validate: (value: unknown) => isDateOnly(value),
        defaultMessage: (args) => `${args?.property} must be a calendar date YYYY-MM-DD, got ${JSON.stringify(args?.value)}`,
      },
    });
}

/** A comma-separated list of values among `allowed` (a filter taking one value or several). */
export function IsListOf(allowed: readonly string[]): PropertyDecorator {
  return (target, propertyName) => registerDecorator({
    name: 'isListOf', target: target.constructor, propertyName: propertyName as string,
    validator: {
      validate: (v: unknown) => {
        const values = splitList(v);
        return !!values && values.length > 0 && values.every((s) => allowed.includes(s));
      },
      defaultMessage: (a) => `${a?.property} takes comma-separated values among ${allowed.join(', ')}; got ${JSON.stringify(a?.value)}`,
    },
  });
}

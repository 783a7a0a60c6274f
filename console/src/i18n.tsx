import { createContext, type ComponentChildren } from 'preact';
import { useContext, useMemo } from 'preact/hooks';

export const LOCALES = ['en-US', 'fr-CA'] as const;
export type Locale = (typeof LOCALES)[number];

/**
 * One screen's words in every locale. Each screen keeps its own, beside its code; the type makes fr-CA name every
 * key en-US names, so a label cannot be missing in one language.
 */
export type Messages<T extends Record<string, string>> = { 'en-US': T; 'fr-CA': { [K in keyof T]: string } };

export function defineMessages<T extends Record<string, string>>(messages: Messages<T>): Messages<T> {
  return messages;
}

/** Replaces `{name}` in a message by its value. */
export function fill(message: string, values: Record<string, string | number>): string {
  return message.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

interface Settings {
  locale: Locale;
  timezone: string;
  currency: string;
}

const LocaleContext = createContext<Settings>({ locale: 'en-US', timezone: 'UTC', currency: 'USD' });

/** Before sign-in, the browser's language; after, the company's locale, timezone and currency. */
export function browserLocale(): Locale {
  return navigator.languages.some((language) => language.toLowerCase().startsWith('fr')) ? 'fr-CA' : 'en-US';
}

export function asLocale(value: string | undefined): Locale {
  return LOCALES.find((locale) => locale === value) ?? browserLocale();
}

export function LocaleProvider({ value, children }: { value: Settings; children: ComponentChildren }) {
  document.documentElement.lang = value.locale;
  return <LocaleContext.Provider value={value}>{children}</LocaleContext.Provider>;
}

export function useLocale(): Settings {
  return useContext(LocaleContext);
}

export function useMessages<T extends Record<string, string>>(messages: Messages<T>): T {
  return messages[useLocale().locale] as T;
}

export interface Formatters {
  /** A decimal string as the API answers money ("1234.50"), never through a float. */
  money(amount: string, currency?: string): string;
  /** A calendar day ("2026-12-31"), as it is, in no timezone. */
  day(value: string): string;
  /** An instant, in the company's timezone. */
  instant(value: string): string;
  count(value: number): string;
}

export function useFormat(): Formatters {
  const { locale, timezone, currency } = useLocale();
  return useMemo(() => {
    const days = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' });
    const instants = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: timezone });
    const counts = new Intl.NumberFormat(locale);
    const moneyFormats = new Map<string, Intl.NumberFormat>();
    return {
      money(amount, inCurrency = currency) {
        let format = moneyFormats.get(inCurrency);
        if (!format) moneyFormats.set(inCurrency, (format = new Intl.NumberFormat(locale, { style: 'currency', currency: inCurrency })));
        // Intl formats a decimal string exactly (ECMA-402 "Intl.NumberFormat v3"); the cast is for TypeScript's ES2022 lib.
        return format.format(amount as unknown as number);
      },
      day: (value) => days.format(new Date(`${value.slice(0, 10)}T00:00:00Z`)),
      instant: (value) => instants.format(new Date(value)),
      count: (value) => counts.format(value),
    };
  }, [locale, timezone, currency]);
}

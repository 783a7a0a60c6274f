/** Locales whose template texts ship with Relance. */
export const SUPPORTED_LOCALES = ['en-US', 'fr-CA'] as const;
export type SupportedLocale = (typeof SUPPORTED_LOCALES)[number];

import type { Preferences } from './model.js';

/** Locales the storefronts are translated into, as canonical BCP 47 tags. */
export const SUPPORTED_LOCALES: readonly string[] = ['en-GB', 'en-US', 'de-DE', 'fr-FR', 'es-ES', 'it-IT', 'nl-NL'];

/** Currencies prices can be shown in, as ISO 4217 codes. */
export const SUPPORTED_CURRENCIES: readonly string[] = ['EUR', 'USD', 'GBP', 'CHF', 'SEK', 'PLN', 'JPY'];

/** What a new account starts with; the column defaults of migration 0002 say the same. */
export const DEFAULT_PREFERENCES: Readonly<Preferences> = { locale: 'en-GB', currency: 'EUR', marketingOptIn: false };

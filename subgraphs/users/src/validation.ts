import { badUserInput } from '@shop/errors';
import { COUNTRY_CODES } from './countries.js';
import type { Preferences } from './model.js';
import { SUPPORTED_CURRENCIES, SUPPORTED_LOCALES } from './preferences.js';

// The canonical (lower-case) form PostgreSQL prints; anything else cannot be one of our ids.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

// The WHATWG "valid email address" grammar (what browsers accept in <input type=email>), applied
// after lower-casing, and asking for a dot in the domain: addresses we can actually mail.
const EMAIL =
  /^[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;
const MAX_EMAIL_LENGTH = 254;
const MAX_LOCAL_PART_LENGTH = 64;

/** The stored form of an email address (trimmed, lower case), or null when it is not one. */
export function parseEmail(raw: string): string | null {
  const email = raw.trim().toLowerCase();
  if (email.length > MAX_EMAIL_LENGTH || !EMAIL.test(email)) return null;
  if (email.indexOf('@') > MAX_LOCAL_PART_LENGTH) return null;
  return email;
}

export function normaliseEmail(raw: string): string {
  const email = parseEmail(raw);
  if (email === null) throw badUserInput('Enter a valid email address, e.g. jane@example.com', 'email');
  return email;
}

export const MIN_PASSWORD_LENGTH = 8;
export const MAX_PASSWORD_LENGTH = 128;

/** Null when the password is acceptable, otherwise what is wrong with it. */
export function passwordProblem(password: string): string | null {
  // Counted in characters as a person sees them, not UTF-16 units.
  const length = Array.from(password).length;
  if (length < MIN_PASSWORD_LENGTH) return `Password must be at least ${MIN_PASSWORD_LENGTH} characters`;
  if (length > MAX_PASSWORD_LENGTH) return `Password must be at most ${MAX_PASSWORD_LENGTH} characters`;
  if (/^(.)\1*$/su.test(password)) return 'Password must not be one character repeated';
  if (/^\d+$/u.test(password)) return 'Password must not be only digits';
  return null;
}

export function checkPassword(password: string, field = 'password'): void {
  const problem = passwordProblem(password);
  if (problem !== null) throw badUserInput(problem, field);
}

const CONTROL_CHARACTERS = /\p{Cc}/u;

function text(raw: string, field: string, label: string, maxLength: number): string {
  const value = raw.trim();
  if (value === '') throw badUserInput(`${label} must not be empty`, field);
  if (Array.from(value).length > maxLength) throw badUserInput(`${label} must be at most ${maxLength} characters`, field);
  if (CONTROL_CHARACTERS.test(value)) throw badUserInput(`${label} must not contain line breaks or control characters`, field);
  return value;
}

function optionalText(raw: string | null | undefined, field: string, label: string, maxLength: number): string | null {
  if (raw === null || raw === undefined || raw.trim() === '') return null;
  return text(raw, field, label, maxLength);
}

export const MAX_NAME_LENGTH = 100;

/** A display name: trimmed, null when empty. */
export function normaliseName(raw: string | null | undefined): string | null {
  return optionalText(raw, 'name', 'Name', MAX_NAME_LENGTH);
}

export interface AddressFields {
  name: string;
  line1: string;
  line2: string | null;
  city: string;
  postalCode: string;
  country: string;
}

export interface AddressInput {
  name: string;
  line1: string;
  line2?: string | null;
  city: string;
  postalCode: string;
  country: string;
}

/** A partial change: an absent field stays as it is; only `line2` may be cleared with null. */
export type AddressUpdateInput = { [K in keyof AddressInput]?: string | null };

const POSTAL_CODE = /^[A-Za-z0-9 -]{2,12}$/;

// One rule per field, in the order the fields are checked. A null required field arrives here
// as '' and is refused as empty.
const ADDRESS_RULES: { [K in keyof AddressFields]: (raw: string | null | undefined) => AddressFields[K] } = {
  name: (raw) => text(raw ?? '', 'name', 'Name', 100),
  line1: (raw) => text(raw ?? '', 'line1', 'Address line 1', 200),
  line2: (raw) => optionalText(raw, 'line2', 'Address line 2', 200),
  city: (raw) => text(raw ?? '', 'city', 'City', 100),
  postalCode(raw) {
    const postalCode = (raw ?? '').trim();
    if (!POSTAL_CODE.test(postalCode)) {
      throw badUserInput('Postal code must be 2 to 12 letters, digits, spaces or hyphens', 'postalCode');
    }
    return postalCode;
  },
  country(raw) {
    const country = (raw ?? '').trim();
    if (!COUNTRY_CODES.has(country)) {
      throw badUserInput('Country must be an ISO 3166-1 alpha-2 code in upper case, e.g. "DE"', 'country');
    }
    return country;
  },
};
const ADDRESS_FIELD_NAMES = Object.keys(ADDRESS_RULES) as Array<keyof AddressFields>;

/** Every field checked in order; the first bad one is named in the error. */
export function normaliseAddress(input: AddressInput): AddressFields {
  return {
    name: ADDRESS_RULES.name(input.name),
    line1: ADDRESS_RULES.line1(input.line1),
    line2: ADDRESS_RULES.line2(input.line2),
    city: ADDRESS_RULES.city(input.city),
    postalCode: ADDRESS_RULES.postalCode(input.postalCode),
    country: ADDRESS_RULES.country(input.country),
  };
}

/** The fields present in `input`, each checked like a new address's; absent ones are left out. */
export function normaliseAddressUpdate(input: AddressUpdateInput): Partial<AddressFields> {
  const changes: Partial<Record<keyof AddressFields, string | null>> = {};
  for (const field of ADDRESS_FIELD_NAMES) {
    if (input[field] !== undefined) changes[field] = ADDRESS_RULES[field](input[field]);
  }
  return changes as Partial<AddressFields>;
}

/** An id argument: anything that cannot be one of our ids is BAD_USER_INPUT naming the argument. */
export function parseId(raw: string, field: string): string {
  if (!isUuid(raw)) throw badUserInput(`${field} is not a valid id`, field);
  return raw;
}

export interface PreferencesInput {
  locale?: string | null;
  currency?: string | null;
  marketingOptIn?: boolean | null;
}

/** BCP 47 tags are case-insensitive: "en-gb" is accepted and stored as "en-GB". */
function parseLocale(raw: string | null): string {
  let canonical: string | undefined;
  try {
    canonical = raw === null ? undefined : Intl.getCanonicalLocales(raw.trim())[0];
  } catch {
    canonical = undefined;
  }
  if (canonical === undefined || !SUPPORTED_LOCALES.includes(canonical)) {
    throw badUserInput(`Locale must be one of ${SUPPORTED_LOCALES.join(', ')}`, 'locale');
  }
  return canonical;
}

function parseCurrency(raw: string | null): string {
  const currency = raw?.trim() ?? '';
  if (!SUPPORTED_CURRENCIES.includes(currency)) {
    throw badUserInput(`Currency must be one of ${SUPPORTED_CURRENCIES.join(', ')}`, 'currency');
  }
  return currency;
}

/** The preferences present in `input`, checked; null is refused since every preference has a value. */
export function normalisePreferences(input: PreferencesInput): Partial<Preferences> {
  const changes: Partial<Preferences> = {};
  if (input.locale !== undefined) changes.locale = parseLocale(input.locale);
  if (input.currency !== undefined) changes.currency = parseCurrency(input.currency);
  if (input.marketingOptIn !== undefined) {
    if (input.marketingOptIn === null) throw badUserInput('marketingOptIn must be true or false', 'marketingOptIn');
    changes.marketingOptIn = input.marketingOptIn;
  }
  return changes;
}

export const MAX_SEARCH_LENGTH = 100;

/** A user search text: trimmed, null when empty (no filter). */
export function normaliseSearch(raw: string | null | undefined): string | null {
  const search = raw?.trim() ?? '';
  if (search === '') return null;
  if (Array.from(search).length > MAX_SEARCH_LENGTH) {
    throw badUserInput(`search must be at most ${MAX_SEARCH_LENGTH} characters`, 'search');
  }
  return search;
}

import { badUserInput } from '@shop/errors';
import { COUNTRY_CODES } from './countries.js';

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

export function checkPassword(password: string): void {
  const problem = passwordProblem(password);
  if (problem !== null) throw badUserInput(problem, 'password');
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

const POSTAL_CODE = /^[A-Za-z0-9 -]{2,12}$/;

/** Every field checked in order; the first bad one is named in the error. */
export function normaliseAddress(input: AddressInput): AddressFields {
  const name = text(input.name, 'name', 'Name', 100);
  const line1 = text(input.line1, 'line1', 'Address line 1', 200);
  const line2 = optionalText(input.line2, 'line2', 'Address line 2', 200);
  const city = text(input.city, 'city', 'City', 100);
  const postalCode = input.postalCode.trim();
  if (!POSTAL_CODE.test(postalCode)) {
    throw badUserInput('Postal code must be 2 to 12 letters, digits, spaces or hyphens', 'postalCode');
  }
  const country = input.country.trim();
  if (!COUNTRY_CODES.has(country)) {
    throw badUserInput('Country must be an ISO 3166-1 alpha-2 code in upper case, e.g. "DE"', 'country');
  }
  return { name, line1, line2, city, postalCode, country };
}

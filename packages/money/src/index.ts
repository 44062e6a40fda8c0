/**
 * Decimal-safe money. Inside we only ever hold integer minor units (cents); decimal strings
 * exist only at the edges (GraphQL `Money.amount`, inputs). No floating point on the way.
 */

// ISO 4217 minor-unit exponents that differ from 2.
const EXPONENTS: Record<string, number> = { JPY: 0, KRW: 0, VND: 0, CLP: 0, ISK: 0, HUF: 2, BHD: 3, KWD: 3, JOD: 3, OMR: 3, TND: 3 };

export interface Money {
  /** Integer minor units, e.g. 1999 for 19.99 EUR. */
  minor: number;
  currency: string;
}

/** The GraphQL shape: `{ amount: "19.99", currencyCode: "EUR" }`. */
export interface MoneyOutput {
  amount: string;
  currencyCode: string;
}

export class MoneyError extends Error {}

export function exponentOf(currency: string): number {
  return EXPONENTS[currency] ?? 2;
}

export function isCurrencyCode(value: string): boolean {
  return /^[A-Z]{3}$/.test(value);
}

/**
 * Parses a decimal string ("19.99", "20", "0.5") into minor units. Refuses more decimals than
 * the currency has, signs, exponents and anything that is not a plain decimal.
 */
export function parseAmount(amount: string, currency: string, options: { allowNegative?: boolean } = {}): number {
  if (!isCurrencyCode(currency)) throw new MoneyError(`"${currency}" is not an ISO 4217 currency code`);
  const exponent = exponentOf(currency);
  const match = /^(-)?(\d{1,13})(?:\.(\d+))?$/.exec(amount.trim());
  if (!match) throw new MoneyError(`"${amount}" is not a decimal amount`);
  const [, sign, whole, fraction = ''] = match;
  if (sign && !options.allowNegative) throw new MoneyError(`"${amount}" must not be negative`);
  if (fraction.length > exponent) {
    throw new MoneyError(`"${amount}" has more than ${exponent} decimal places for ${currency}`);
  }
  const minor = Number(whole) * 10 ** exponent + Number(fraction.padEnd(exponent, '0') || '0');
  if (!Number.isSafeInteger(minor)) throw new MoneyError(`"${amount}" is too large`);
  return sign ? -minor : minor;
}

/** Minor units to the decimal string clients see: 1999 EUR -> "19.99", 500 JPY -> "500". */
export function formatAmount(minor: number, currency: string): string {
  if (!Number.isSafeInteger(minor)) throw new MoneyError(`${minor} is not an integer amount of minor units`);
  const exponent = exponentOf(currency);
  const negative = minor < 0;
  const digits = String(Math.abs(minor)).padStart(exponent + 1, '0');
  const whole = exponent === 0 ? digits : digits.slice(0, -exponent);
  const fraction = exponent === 0 ? '' : `.${digits.slice(-exponent)}`;
  return `${negative ? '-' : ''}${whole}${fraction}`;
}

export function toOutput(money: Money): MoneyOutput {
  return { amount: formatAmount(money.minor, money.currency), currencyCode: money.currency };
}

/** The GraphQL shape as another service sent it, back to minor units; MoneyError unless it is one. */
export function fromOutput(value: unknown): Money {
  const { amount, currencyCode } = (value ?? {}) as { amount?: unknown; currencyCode?: unknown };
  if (typeof amount !== 'string' || typeof currencyCode !== 'string') throw new MoneyError(`${JSON.stringify(value)} is not Money`);
  return { minor: parseAmount(amount, currencyCode), currency: currencyCode };
}

export function money(minor: number, currency: string): Money {
  if (!Number.isSafeInteger(minor)) throw new MoneyError(`${minor} is not an integer amount of minor units`);
  return { minor, currency };
}

export function add(a: Money, b: Money): Money {
  assertSameCurrency(a, b);
  return money(a.minor + b.minor, a.currency);
}

export function multiply(a: Money, quantity: number): Money {
  if (!Number.isSafeInteger(quantity)) throw new MoneyError(`quantity ${quantity} is not an integer`);
  return money(a.minor * quantity, a.currency);
}

export function sum(items: readonly Money[], currency: string): Money {
  return items.reduce((total, item) => add(total, item), money(0, currency));
}

/**
 * A percentage of an amount, rounded half away from zero to whole minor units.
 * `basisPoints` is hundredths of a percent (1250 = 12.5 %), so no float enters.
 */
export function percentOf(a: Money, basisPoints: number): Money {
  if (!Number.isSafeInteger(basisPoints)) throw new MoneyError('basis points must be an integer');
  const scaled = a.minor * basisPoints;
  const rounded = Math.sign(scaled) * Math.floor((Math.abs(scaled) + 5000) / 10000);
  return money(rounded, a.currency);
}

function assertSameCurrency(a: Money, b: Money): void {
  if (a.currency !== b.currency) throw new MoneyError(`cannot combine ${a.currency} and ${b.currency}`);
}

import currencyCodes from 'currency-codes';

/**
 * Decimal-safe money. Inside we only ever hold integer minor units (cents); decimal strings
 * exist only at the edges (GraphQL `Money.amount`, inputs). No floating point on the way.
 */

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

// currency-codes looks a code up by scanning its whole list; every amount formatted asks again
// (an order history page formats hundreds), so each code's answer is kept. The list is fixed.
const exponents = new Map<string, number>();

/** The ISO 4217 minor-unit exponent (JPY 0, EUR 2, BHD 3); 2 for a code ISO does not list. */
export function exponentOf(currency: string): number {
  let exponent = exponents.get(currency);
  if (exponent === undefined) {
    const digits = currencyCodes.code(currency)?.digits;
    exponent = Number.isInteger(digits) ? digits! : 2;
    // Only three-capital-letter codes are kept (at most 26^3), whatever callers pass.
    if (isCurrencyCode(currency)) exponents.set(currency, exponent);
  }
  return exponent;
}

/** A code ISO 4217 lists (not merely three capital letters). */
export function isIsoCurrency(value: string): boolean {
  return isCurrencyCode(value) && currencyCodes.code(value) !== undefined;
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

/** A positive exchange rate as an exact fraction, so converting never goes through a float. */
export interface Rate {
  numerator: bigint;
  denominator: bigint;
}

const RATE = /^(\d{1,9})(?:\.(\d{1,12}))?$/;

/** "1.0825" -> 10825/10000. Refuses zero, signs, exponents and more than 12 decimals. */
export function parseRate(text: string): Rate {
  const match = RATE.exec(text.trim());
  if (!match) throw new MoneyError(`"${text}" is not a decimal rate (up to 12 decimals)`);
  const [, whole, fraction = ''] = match;
  const numerator = BigInt(whole! + fraction);
  if (numerator === 0n) throw new MoneyError('a rate must be above 0');
  return { numerator, denominator: 10n ** BigInt(fraction.length) };
}

/** The rate as a plain decimal string without trailing zeros: 10825/10000 -> "1.0825". */
export function formatRate(rate: Rate): string {
  const decimals = String(rate.denominator).length - 1;
  const digits = String(rate.numerator).padStart(decimals + 1, '0');
  const whole = digits.slice(0, digits.length - decimals);
  const fraction = digits.slice(digits.length - decimals).replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : whole;
}

export function invertRate(rate: Rate): Rate {
  return { numerator: rate.denominator, denominator: rate.numerator };
}

/**
 * `amount` in `to` at `rate` (units of `to` per unit of `amount.currency`), rounded half away
 * from zero to `to`'s minor unit: 19.99 EUR at 161.5 JPY -> 3228 JPY.
 */
export function convert(amount: Money, to: string, rate: Rate): Money {
  const numerator = BigInt(amount.minor) * rate.numerator * 10n ** BigInt(exponentOf(to));
  const denominator = rate.denominator * 10n ** BigInt(exponentOf(amount.currency));
  return money(roundedQuotient(numerator, denominator), to);
}

/** `amount` times `numerator / denominator`, rounded half away from zero (a share of an amount). */
export function scale(amount: Money, numerator: number, denominator: number): Money {
  if (denominator === 0) throw new MoneyError('cannot scale by a zero denominator');
  return money(roundedQuotient(BigInt(amount.minor) * BigInt(numerator), BigInt(denominator)), amount.currency);
}

function roundedQuotient(numerator: bigint, denominator: bigint): number {
  const negative = numerator < 0n !== denominator < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  const rounded = (2n * n + d) / (2n * d);
  const result = Number(negative ? -rounded : rounded);
  if (!Number.isSafeInteger(result)) throw new MoneyError('the converted amount is too large');
  return result;
}

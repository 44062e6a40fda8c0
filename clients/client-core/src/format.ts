/** Display helpers: money in the shopper's locale, plural forms, statuses in words. */

export interface MoneyValue {
  amount: string;
  currencyCode: string;
}

/** The currencies the shop offers shoppers (users' `PreferencesInput.currency`); the store's own first. */
export const CURRENCIES = ['EUR', 'USD', 'GBP', 'CHF', 'SEK', 'PLN', 'JPY'] as const;

let locale: string | undefined;

/** The signed-in user's preferred locale (Preferences.locale); the browser's otherwise. */
export function setDisplayLocale(next: string | undefined): void {
  locale = next;
}

export function money(value: MoneyValue): string {
  try {
    return new Intl.NumberFormat(locale, { style: 'currency', currency: value.currencyCode }).format(Number(value.amount));
  } catch {
    return `${value.amount} ${value.currencyCode}`;
  }
}

export function dateTime(iso: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

/** A calendar date; `timeZone` 'UTC' for days that are UTC days (sales reports). */
export function date(iso: string, timeZone?: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', ...(timeZone ? { timeZone } : {}) }).format(new Date(iso));
}

/** "1 item", "2 items": the plural rule of the display locale picks the form. */
export function plural(count: number, one: string, other: string): string {
  const form = new Intl.PluralRules(locale ?? 'en').select(count);
  return `${new Intl.NumberFormat(locale).format(count)} ${form === 'one' ? one : other}`;
}

const ORDER_STATUS: Record<string, string> = {
  PENDING_PAYMENT: 'Awaiting payment',
  PAID: 'Paid',
  FULFILLING: 'Being packed',
  SHIPPED: 'Shipped',
  DELIVERED: 'Delivered',
  CANCELLED: 'Cancelled',
  RETURN_REQUESTED: 'Return requested',
  PARTIALLY_REFUNDED: 'Partly refunded',
  REFUNDED: 'Refunded',
};

export const orderStatus = (status: string): string => ORDER_STATUS[status] ?? status.toLowerCase().replace(/_/g, ' ');

// Stripe's decline codes (the payment's failureReason), in words.
const DECLINED = 'Your card was declined. Please use another card.';
const PAYMENT_FAILURE: Record<string, string> = {
  generic_decline: DECLINED,
  card_declined: DECLINED,
  lost_card: DECLINED,
  stolen_card: DECLINED,
  insufficient_funds: 'Your card was declined: insufficient funds. Please use another card.',
  expired_card: 'Your card has expired. Please use another card.',
  incorrect_cvc: 'The card’s security code is incorrect.',
  processing_error: 'The card could not be processed. Please try again.',
  canceled: 'The payment was cancelled. Please try again.',
};

export const paymentFailure = (reason: string | null | undefined): string =>
  (reason && PAYMENT_FAILURE[reason]) ?? 'The payment did not go through. Please try another card.';

let regionNames: Intl.DisplayNames | null = null;

/** "DE" → "Germany", in the display locale. */
export function countryName(code: string): string {
  try {
    regionNames ??= new Intl.DisplayNames(locale ? [locale] : undefined, { type: 'region' });
    return regionNames.of(code) ?? code;
  } catch {
    return code;
  }
}

/** Countries the address form offers (shown by name, sent as ISO codes): Europe and North America. */
export const COUNTRIES = [
  'AT', 'BE', 'BG', 'CA', 'CH', 'CY', 'CZ', 'DE', 'DK', 'EE', 'ES', 'FI', 'FR', 'GB', 'GR', 'HR', 'HU', 'IE', 'IS',
  'IT', 'LI', 'LT', 'LU', 'LV', 'MT', 'NL', 'NO', 'PL', 'PT', 'RO', 'SE', 'SI', 'SK', 'US',
];

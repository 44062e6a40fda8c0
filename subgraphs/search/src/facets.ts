import { exponentOf, formatAmount } from '@shop/money';
import type { FacetField, SearchConditions } from './repository.js';

/** The store's currency: prices are filtered, bucketed and ranged in it when a search names none. */
export const CATALOG_CURRENCY = 'EUR';

/** The currency a search's prices are in. */
export function priceCurrency(conditions: Pick<SearchConditions, 'currency'>): string {
  return conditions.currency ?? CATALOG_CURRENCY;
}

export const FACET_FIELDS: readonly FacetField[] = ['brand', 'color', 'size', 'category', 'price'];

/** Most values a terms facet reports. */
export const TERMS_FACET_SIZE = 50;

export interface PriceBucket {
  /** Inclusive range as a client passes it back in `priceMin`/`priceMax`: "25.00-49.99", "200.00-". */
  key: string;
  /** Inclusive lower bound, minor units. */
  fromMinor: number;
  /** Exclusive upper bound, minor units; undefined for the last, open bucket. */
  toMinor?: number;
}

/** Bucket bounds in whole units of the currency: 0, 25, 50, 100, 200 euros. */
const BOUNDS = [0, 25, 50, 100, 200];

/**
 * How many units of a currency buy about what one unit of the store's does, as a round number,
 * so that a shopper paying in yen or kronor gets ranges of the same reach ("2500-4999" yen)
 * rather than a hundred ranges for one euro range. Currencies not listed are near the euro.
 */
const BOUND_SCALE: Readonly<Record<string, number>> = {
  JPY: 100,
  CNY: 10,
  SEK: 10,
  NOK: 10,
  DKK: 10,
  CZK: 20,
  HUF: 400,
  PLN: 5,
  INR: 100,
  KRW: 1000,
};

/** The price ranges of the price facet in `currency`, ascending, the last one open. */
export function priceBuckets(currency: string): PriceBucket[] {
  const unit = 10 ** exponentOf(currency) * (BOUND_SCALE[currency] ?? 1);
  const bounds = BOUNDS.map((bound) => bound * unit);
  return bounds.map((fromMinor, i) => {
    const toMinor = bounds[i + 1];
    const from = formatAmount(fromMinor, currency);
    return toMinor === undefined
      ? { key: `${from}-`, fromMinor }
      : { key: `${from}-${formatAmount(toMinor - 1, currency)}`, fromMinor, toMinor };
  });
}

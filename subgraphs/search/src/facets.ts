import { formatAmount } from '@shop/money';
import type { FacetField } from './repository.js';

/** Prices are filtered, bucketed and ranged in the catalog's currency only. */
export const CATALOG_CURRENCY = 'EUR';

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

const BOUNDS_MINOR = [0, 2500, 5000, 10_000, 20_000];

export const PRICE_BUCKETS: readonly PriceBucket[] = BOUNDS_MINOR.map((fromMinor, i) => {
  const toMinor = BOUNDS_MINOR[i + 1];
  const from = formatAmount(fromMinor, CATALOG_CURRENCY);
  return toMinor === undefined
    ? { key: `${from}-`, fromMinor }
    : { key: `${from}-${formatAmount(toMinor - 1, CATALOG_CURRENCY)}`, fromMinor, toMinor };
});

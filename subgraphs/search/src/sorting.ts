import type { SearchSort } from './repository.js';

/**
 * The sort of each `SearchSort`, as (indexed field, direction) pairs ending with the id, which
 * makes every order total: equal values never leave two hits in an undefined order, so pages
 * neither overlap nor skip. `_score` is the relevance score. A hit's sort key holds the values
 * of these fields, in this order (dates as epoch milliseconds).
 */
export type SortField = '_score' | 'priceMinor' | 'ratingAverage' | 'ratingCount' | 'createdAt' | 'id';

export const SORT_SPECS: Record<SearchSort, readonly { field: SortField; order: 'asc' | 'desc' }[]> = {
  RELEVANCE: [
    { field: '_score', order: 'desc' },
    { field: 'id', order: 'asc' },
  ],
  PRICE_ASC: [
    { field: 'priceMinor', order: 'asc' },
    { field: 'id', order: 'asc' },
  ],
  PRICE_DESC: [
    { field: 'priceMinor', order: 'desc' },
    { field: 'id', order: 'asc' },
  ],
  RATING: [
    { field: 'ratingAverage', order: 'desc' },
    { field: 'ratingCount', order: 'desc' },
    { field: 'id', order: 'asc' },
  ],
  NEWEST: [
    { field: 'createdAt', order: 'desc' },
    { field: 'id', order: 'asc' },
  ],
};

/** Whether a value can stand at position `i` of a sort key of `sort`. */
export function isSortKeyValue(sort: SearchSort, i: number, value: unknown): boolean {
  const spec = SORT_SPECS[sort][i];
  if (!spec) return false;
  return spec.field === 'id' ? typeof value === 'string' && value.length > 0 && value.length <= 200 : typeof value === 'number' && Number.isFinite(value);
}

/**
 * The sort value of a product without a price in the search's currency: last in either price
 * order. A plain number (not Elasticsearch's `_last`, whose Long.MAX_VALUE a cursor could not
 * carry through JSON), so both engines, and cursors, hold the same key.
 */
export function missingPrice(order: 'asc' | 'desc'): number {
  return order === 'asc' ? Number.MAX_SAFE_INTEGER : -1;
}

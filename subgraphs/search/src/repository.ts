/**
 * The index contract of the search subgraph. Two adapters implement it: `repository/elasticsearch.ts`
 * (requests built by the pure `repository/requests.ts`) and `repository/embedded.ts` (in-process, on
 * minisearch); `test/contract.ts` holds both to the same behaviour.
 */

import type { ProductSnapshot } from '@shop/contracts';

/**
 * What the index stores of a product: a `ProductSnapshot` without what search never reads, with
 * its current price in every currency it has one in (always its own: `priceMinor`).
 */
export type IndexedProduct = Omit<ProductSnapshot, 'slug' | 'archived' | 'updatedAt' | 'prices'> & { prices: Record<string, number> };

/**
 * A write to the index. Writes are versioned (milliseconds since the epoch, from the event or
 * the rebuild that caused them) so that replays and late deliveries are harmless: a write older
 * than what the index holds for that product changes nothing, one of the same version writes
 * the same again. Product data and stock have separate versions, as they come from different
 * producers.
 */
export type IndexOperation =
  /** Puts the product's data (keeping its stock flag); `listed: false` for an archived snapshot. */
  | { kind: 'product'; product: IndexedProduct; listed: boolean; version: number }
  /** Hides the product from every search; its entry stays, as a tombstone, to order late writes. */
  | { kind: 'archive'; id: string; version: number }
  /** Sets the stock flag; may come before the product itself, which then starts with it. */
  | { kind: 'stock'; id: string; inStock: boolean; version: number };

export type SearchSort = 'RELEVANCE' | 'PRICE_ASC' | 'PRICE_DESC' | 'RATING' | 'NEWEST';

/**
 * Where a hit stands in its sort: the values it was sorted by, ending with its id. Passed back
 * as `after` to continue behind that hit.
 */
export type SortKey = (string | number)[];

export interface SearchConditions {
  /**
   * Folded words (`text.ts`), each of which must match: null for no text condition at all,
   * empty when text was given but held no word (which matches nothing).
   */
  terms: string[] | null;
  categoryId?: string;
  brand?: string;
  color?: string;
  size?: string;
  /**
   * The ISO 4217 code prices are filtered, faceted, ranged and sorted in (the store's, EUR, when
   * absent): a product's price in it, never one in another currency.
   */
  currency?: string;
  /** Inclusive bounds on the current price, in minor units of `currency`; products without a price in it never match. */
  price?: { minMinor?: number; maxMinor?: number };
  inStock?: boolean;
}

export interface SearchRequest extends SearchConditions {
  sort: SearchSort;
  /** Page size, 0 or more. */
  first: number;
  /** Continue behind the hit with this key (exclusive). */
  after?: SortKey;
}

export interface FacetCounts {
  field: FacetField;
  values: { value: string; count: number }[];
}

export type FacetField = 'brand' | 'color' | 'size' | 'category' | 'price';

export interface SearchPage {
  hits: { id: string; sortKey: SortKey }[];
  hasNextPage: boolean;
  /** Matches over all pages, ignoring `after`. */
  totalCount: number;
  /** One entry per facet field, in `FACET_FIELDS` order. */
  facets: FacetCounts[];
  /** Lowest and highest price in `currency` of the matches, the price filter left out; null when none is priced in it. */
  priceRange: { minMinor: number; maxMinor: number } | null;
}

export interface SearchRepository {
  readonly kind: 'elasticsearch' | 'embedded';
  /** Applies writes in order. Resolves once they are durable (not necessarily searchable: see `refresh`). */
  apply(operations: readonly IndexOperation[]): Promise<void>;
  search(request: SearchRequest): Promise<SearchPage>;
  /**
   * The end of a rebuild: hides every listed product whose data is older than `version` (not
   * seen by the rebuild, nor written since), stamping it with `version`. Resolves to how many.
   */
  unlistOlderThan(version: number): Promise<number>;
  /** Listed (searchable) products. */
  countListed(): Promise<number>;
  /** Makes every applied write searchable now (Elasticsearch does so within a second anyway). */
  refresh(): Promise<void>;
  /** Resolves when the repository answers; throws otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

import MiniSearch from 'minisearch';
import type {
  FacetCounts,
  FacetField,
  IndexOperation,
  IndexedProduct,
  SearchConditions,
  SearchRepository,
  SearchPage,
  SearchRequest,
  SortKey,
} from '../repository.js';
import { FACET_FIELDS, TERMS_FACET_SIZE, priceBuckets, priceCurrency } from '../facets.js';
import { SORT_SPECS, missingPrice } from '../sorting.js';
import { FIELD_BOOSTS, editDistanceFor, prefixApplies, tokenize } from '../text.js';

/** Everything the index knows of one product id. */
export interface EmbeddedEntry {
  /** Null while only the stock of this id is known. */
  product: IndexedProduct | null;
  listed: boolean;
  /** Version of the product data (or of its archiving); null while only stock is known. */
  version: number | null;
  inStock: boolean;
  stockVersion: number | null;
}

/**
 * The versioning rules of `IndexOperation`, as a pure function: the entry after the write, or
 * null when the write is older than what the entry holds and changes nothing. The Elasticsearch
 * adapter states the same rules as painless scripts (`repository/requests.ts`).
 */
export function applyOperation(entry: EmbeddedEntry | undefined, op: IndexOperation): EmbeddedEntry | null {
  const current: EmbeddedEntry = entry ?? { product: null, listed: false, version: null, inStock: false, stockVersion: null };
  switch (op.kind) {
    case 'product':
      if (current.version !== null && current.version > op.version) return null;
      return { ...current, product: op.product, listed: op.listed, version: op.version };
    case 'archive':
      if (current.version !== null && current.version > op.version) return null;
      return { ...current, listed: false, version: op.version };
    case 'stock':
      if (current.stockVersion !== null && current.stockVersion > op.version) return null;
      return { ...current, inStock: op.inStock, stockVersion: op.version };
  }
}

interface Candidate {
  product: IndexedProduct;
  score: number;
}

/**
 * The development repository: every entry in a Map, the listed ones also in a minisearch full-text
 * index configured like the Elasticsearch index (`text.ts`). Filters, facets, sorting and
 * cursors are computed over the text matches in memory, with the rules the Elasticsearch
 * request states. Starts empty and lives as long as the process.
 */
export function createEmbeddedSearchRepository(): SearchRepository {
  const entries = new Map<string, EmbeddedEntry>();
  const index = new MiniSearch<IndexedProduct>({
    fields: Object.keys(FIELD_BOOSTS),
    storeFields: [],
    tokenize: (text) => tokenize(text),
    // `tokenize` already folded every word.
    processTerm: (term) => term,
  });

  const write = (id: string, next: EmbeddedEntry) => {
    const previous = entries.get(id);
    entries.set(id, next);
    // A stock change keeps the product (the same object) and its listing: the text index stays.
    if (previous && previous.product === next.product && previous.listed === next.listed) return;
    if (index.has(id)) index.discard(id);
    if (next.listed && next.product) index.add(structuredClone(next.product));
  };

  /** Scores of the text matches; null when there is no text condition. */
  const textScores = (terms: string[] | null): Map<string, number> | null => {
    if (terms === null) return null;
    if (terms.length === 0) return new Map();
    const results = index.search(terms.join(' '), {
      combineWith: 'AND',
      prefix: (term) => prefixApplies(term),
      fuzzy: (term) => editDistanceFor(term) || false,
      boost: { ...FIELD_BOOSTS },
    });
    return new Map(results.map((result) => [String(result.id), result.score]));
  };

  return {
    kind: 'embedded',
    async apply(operations) {
      for (const op of operations) {
        const id = op.kind === 'product' ? op.product.id : op.id;
        const next = applyOperation(entries.get(id), op);
        if (next) write(id, next);
      }
    },
    async search(request) {
      const scores = textScores(request.terms);
      const base: Candidate[] = [];
      for (const entry of entries.values()) {
        if (!entry.listed || !entry.product) continue;
        const score = scores === null ? 0 : scores.get(entry.product.id);
        if (score === undefined) continue;
        if (request.inStock !== undefined && entry.inStock !== request.inStock) continue;
        base.push({ product: entry.product, score });
      }
      return pageOf(base, request);
    },
    async unlistOlderThan(version) {
      let count = 0;
      for (const [id, entry] of entries) {
        if (entry.listed && entry.version !== null && entry.version < version) {
          write(id, { ...entry, listed: false, version });
          count += 1;
        }
      }
      return count;
    },
    async countListed() {
      let count = 0;
      for (const entry of entries.values()) if (entry.listed && entry.product) count += 1;
      return count;
    },
    async refresh() {},
    async ping() {},
    async close() {},
  };
}

type Predicate = (product: IndexedProduct) => boolean;

/** The filters that facets are about, each of which its own facet leaves out. */
function facetPredicates(conditions: SearchConditions): Map<FacetField, Predicate> {
  const predicates = new Map<FacetField, Predicate>();
  const { categoryId, brand, color, size, price } = conditions;
  if (categoryId !== undefined) predicates.set('category', (p) => p.categoryIds.includes(categoryId));
  if (brand !== undefined) predicates.set('brand', (p) => p.brand === brand);
  if (color !== undefined) predicates.set('color', (p) => p.color === color);
  if (size !== undefined) predicates.set('size', (p) => p.size === size);
  if (price !== undefined) {
    const currency = priceCurrency(conditions);
    predicates.set('price', (p) => {
      const minor = p.prices[currency];
      return minor !== undefined && (price.minMinor === undefined || minor >= price.minMinor) && (price.maxMinor === undefined || minor <= price.maxMinor);
    });
  }
  return predicates;
}

function pageOf(base: Candidate[], request: SearchRequest): SearchPage {
  const predicates = facetPredicates(request);
  const passingAllBut = (skip: FacetField | null) =>
    base.filter((c) => [...predicates].every(([field, holds]) => field === skip || holds(c.product)));

  const matches = passingAllBut(null);
  const keyed = matches.map((c) => ({ id: c.product.id, sortKey: sortKeyOf(c, request) }));
  keyed.sort((a, b) => compareSortKeys(request, a.sortKey, b.sortKey));
  const after = request.after;
  const rest = after === undefined ? keyed : keyed.filter((hit) => compareSortKeys(request, hit.sortKey, after) > 0);

  const currency = priceCurrency(request);
  const prices = passingAllBut('price').flatMap((c) => c.product.prices[currency] ?? []);
  return {
    hits: rest.slice(0, request.first),
    hasNextPage: rest.length > request.first,
    totalCount: matches.length,
    facets: FACET_FIELDS.map((field) => facetOf(field, passingAllBut(field), currency)),
    priceRange: prices.length === 0 ? null : { minMinor: Math.min(...prices), maxMinor: Math.max(...prices) },
  };
}

function facetOf(field: FacetField, candidates: Candidate[], currency: string): FacetCounts {
  if (field === 'price') {
    const prices = candidates.flatMap(({ product }) => product.prices[currency] ?? []);
    const values = priceBuckets(currency).map((bucket) => ({
      value: bucket.key,
      count: prices.filter((minor) => minor >= bucket.fromMinor && (bucket.toMinor === undefined || minor < bucket.toMinor)).length,
    }));
    return { field, values: values.filter((v) => v.count > 0) };
  }
  const counts = new Map<string, number>();
  for (const { product } of candidates) {
    const values = field === 'category' ? product.categoryIds : [product[field]];
    for (const value of new Set(values)) if (value !== null) counts.set(value, (counts.get(value) ?? 0) + 1);
  }
  const values = [...counts].map(([value, count]) => ({ value, count }));
  values.sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  return { field, values: values.slice(0, TERMS_FACET_SIZE) };
}

function sortKeyOf(candidate: Candidate, request: SearchRequest): SortKey {
  const { product } = candidate;
  return SORT_SPECS[request.sort].map(({ field, order }) => {
    switch (field) {
      case '_score':
        return candidate.score;
      case 'createdAt':
        return Date.parse(product.createdAt);
      case 'priceMinor':
        return product.prices[priceCurrency(request)] ?? missingPrice(order);
      default:
        return product[field];
    }
  });
}

function compareSortKeys(request: SearchRequest, a: SortKey, b: SortKey): number {
  const spec = SORT_SPECS[request.sort];
  for (let i = 0; i < spec.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) continue;
    const ascending = x < y ? -1 : 1;
    return spec[i]!.order === 'asc' ? ascending : -ascending;
  }
  return 0;
}

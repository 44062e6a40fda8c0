import { badUserInput } from '@shop/errors';
import { isIsoCurrency, MoneyError, parseAmount, toOutput, type MoneyOutput } from '@shop/money';
import { pageSize } from '@shop/subgraph-kit';
import { decodeSearchCursor, encodeSearchCursor, searchFingerprint } from './cursor.js';
import type { SearchConditions, SearchRepository, SearchRequest, SearchSort } from './repository.js';
import { priceCurrency } from './facets.js';
import { tokenize } from './text.js';

export const MAX_QUERY_LENGTH = 200;
export const MAX_QUERY_WORDS = 10;
export const MAX_FILTER_VALUE_LENGTH = 200;

export interface SearchFilterInput {
  categoryId?: string | null;
  brand?: string | null;
  color?: string | null;
  size?: string | null;
  priceMin?: string | null;
  priceMax?: string | null;
  inStock?: boolean | null;
}

export interface SearchArgs {
  query?: string | null;
  filter?: SearchFilterInput | null;
  sort?: SearchSort | null;
  first?: number | null;
  after?: string | null;
  currency?: string | null;
}

export interface SearchResultOutput {
  totalCount: number;
  facets: { field: string; values: { value: string; count: number }[] }[];
  nodes: { id: string }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  priceRange: { min: MoneyOutput; max: MoneyOutput } | null;
}

export type SearchService = ReturnType<typeof createSearchService>;

export function createSearchService(repository: SearchRepository) {
  return {
    async searchProducts(args: SearchArgs): Promise<SearchResultOutput> {
      const first = pageSize(args.first);
      const sort = args.sort ?? 'RELEVANCE';
      const conditions = searchConditions(args.query, args.filter ?? {}, args.currency);
      const fingerprint = searchFingerprint(conditions, sort);
      const request: SearchRequest = { ...conditions, sort, first };
      if (args.after !== undefined && args.after !== null) {
        const after = decodeSearchCursor(args.after, fingerprint, sort);
        if (after === 'not a cursor') throw badUserInput('`after` is not a cursor of this connection', 'after');
        if (after === 'another search') {
          throw badUserInput('`after` belongs to a search with another query, filter or sort', 'after');
        }
        request.after = after;
      }

      const page = await repository.search(request);
      const last = page.hits.at(-1);
      const money = (minor: number) => toOutput({ minor, currency: priceCurrency(conditions) });
      return {
        totalCount: page.totalCount,
        facets: page.facets,
        nodes: page.hits.map((hit) => ({ id: hit.id })),
        pageInfo: { hasNextPage: page.hasNextPage, endCursor: last ? encodeSearchCursor(fingerprint, last.sortKey) : null },
        priceRange: page.priceRange && { min: money(page.priceRange.minMinor), max: money(page.priceRange.maxMinor) },
      };
    },
  };
}

/** Validates the query and the filter into repository terms; text stays text throughout. */
function searchConditions(query: string | null | undefined, filter: SearchFilterInput, currency: string | null | undefined): SearchConditions {
  const conditions: SearchConditions = { terms: null };
  if (currency !== undefined && currency !== null) {
    if (!isIsoCurrency(currency)) throw badUserInput(`${JSON.stringify(currency.slice(0, 10))} is not an ISO 4217 currency code`, 'currency');
    conditions.currency = currency;
  }
  if (query !== undefined && query !== null && query.trim() !== '') {
    if (query.length > MAX_QUERY_LENGTH) throw badUserInput(`\`query\` must be at most ${MAX_QUERY_LENGTH} characters`, 'query');
    const words = tokenize(query);
    if (words.length > MAX_QUERY_WORDS) throw badUserInput(`\`query\` may have at most ${MAX_QUERY_WORDS} words`, 'query');
    conditions.terms = words;
  }
  for (const field of ['categoryId', 'brand', 'color', 'size'] as const) {
    const value = filter[field];
    if (value === undefined || value === null) continue;
    if (value.length > MAX_FILTER_VALUE_LENGTH) {
      throw badUserInput(`\`${field}\` must be at most ${MAX_FILTER_VALUE_LENGTH} characters`, `filter.${field}`);
    }
    conditions[field] = value;
  }
  const minMinor = priceBound(filter.priceMin, 'priceMin', priceCurrency(conditions));
  const maxMinor = priceBound(filter.priceMax, 'priceMax', priceCurrency(conditions));
  if (minMinor !== undefined && maxMinor !== undefined && minMinor > maxMinor) {
    throw badUserInput('`priceMin` must not be greater than `priceMax`', 'filter.priceMin');
  }
  if (minMinor !== undefined || maxMinor !== undefined) {
    conditions.price = {};
    if (minMinor !== undefined) conditions.price.minMinor = minMinor;
    if (maxMinor !== undefined) conditions.price.maxMinor = maxMinor;
  }
  if (filter.inStock !== undefined && filter.inStock !== null) conditions.inStock = filter.inStock;
  return conditions;
}

function priceBound(value: string | null | undefined, name: 'priceMin' | 'priceMax', currency: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  try {
    return parseAmount(value, currency);
  } catch (error) {
    if (error instanceof MoneyError) throw badUserInput(`\`${name}\`: ${error.message}`, `filter.${name}`);
    throw error;
  }
}

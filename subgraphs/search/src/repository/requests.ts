import type { estypes } from '@elastic/elasticsearch';
import type { FacetCounts, FacetField, IndexOperation, SearchConditions, SearchPage, SearchRequest, SortKey } from '../repository.js';
import { FACET_FIELDS, TERMS_FACET_SIZE, priceBuckets, priceCurrency } from '../facets.js';
import { SORT_SPECS, missingPrice } from '../sorting.js';
import { FIELD_BOOSTS, MAX_PREFIX_LENGTH, MIN_PREFIX_LENGTH, prefixApplies } from '../text.js';

/**
 * Pure translation of repository requests into Elasticsearch request bodies, and of responses back.
 * The adapter (`elasticsearch.ts`) sends exactly what these return. User text only ever lands
 * in `multi_match.query` (analysed as plain text, never parsed as query syntax) and `term`
 * values (compared literally).
 */

/** Bumped whenever the mapping or analysis changes; an index of another version is refused. */
export const INDEX_SCHEMA_VERSION = 2;

const prefixed = { type: 'text', analyzer: 'folded_prefixes', search_analyzer: 'folded' } as const;
const searchable = { type: 'text', analyzer: 'folded', fields: { prefix: prefixed } } as const;

/** Settings and mappings of the products index: the same analysis as `text.ts`. */
export function indexDefinition(): Pick<estypes.IndicesCreateRequest, 'settings' | 'mappings'> {
  return {
    settings: {
      // A catalog fits one shard, and relevance is then computed over the whole of it.
      number_of_shards: 1,
      analysis: {
        tokenizer: { words: { type: 'pattern', pattern: '[^\\p{L}\\p{N}]+' } },
        filter: { word_prefixes: { type: 'edge_ngram', min_gram: MIN_PREFIX_LENGTH, max_gram: MAX_PREFIX_LENGTH } },
        analyzer: {
          folded: { type: 'custom', tokenizer: 'words', filter: ['lowercase', 'asciifolding'] },
          folded_prefixes: { type: 'custom', tokenizer: 'words', filter: ['lowercase', 'asciifolding', 'word_prefixes'] },
        },
      },
    },
    mappings: {
      dynamic: 'strict',
      _meta: { schemaVersion: INDEX_SCHEMA_VERSION },
      properties: {
        id: { type: 'keyword' },
        sku: { type: 'keyword' },
        name: searchable,
        description: searchable,
        categoryName: searchable,
        brand: { type: 'keyword', fields: { text: { type: 'text', analyzer: 'folded' }, prefix: prefixed } },
        color: { type: 'keyword' },
        size: { type: 'keyword' },
        categoryId: { type: 'keyword' },
        categoryIds: { type: 'keyword' },
        priceMinor: { type: 'long' },
        basePriceMinor: { type: 'long' },
        currency: { type: 'keyword' },
        // The current price by ISO code ("prices.JPY"): each currency a long field of its own,
        // mapped when the first product priced in it arrives.
        prices: { type: 'object', dynamic: true },
        ratingAverage: { type: 'double' },
        ratingCount: { type: 'integer' },
        createdAt: { type: 'date' },
        listed: { type: 'boolean' },
        version: { type: 'long' },
        inStock: { type: 'boolean' },
        stockVersion: { type: 'long' },
      },
    },
  };
}

/*
 * The versioning rules of `IndexOperation` (stated in TypeScript by `applyOperation` in
 * `embedded.ts`), run inside Elasticsearch so that concurrent writers cannot interleave a read
 * and a write. Scripted upserts: the script runs whether or not the document exists yet.
 */
export const PRODUCT_SCRIPT = [
  'if (ctx._source.version != null && ctx._source.version > params.version) { ctx.op = "noop"; } else {',
  '  for (def field : params.fields.entrySet()) { ctx._source[field.getKey()] = field.getValue(); }',
  '  ctx._source.version = params.version;',
  '  if (ctx._source.inStock == null) { ctx._source.inStock = false; }',
  '}',
].join('\n');

export const ARCHIVE_SCRIPT = [
  'if (ctx._source.version != null && ctx._source.version > params.version) { ctx.op = "noop"; } else {',
  '  ctx._source.id = params.id;',
  '  ctx._source.listed = false;',
  '  ctx._source.version = params.version;',
  '  if (ctx._source.inStock == null) { ctx._source.inStock = false; }',
  '}',
].join('\n');

export const STOCK_SCRIPT = [
  'if (ctx._source.stockVersion != null && ctx._source.stockVersion > params.version) { ctx.op = "noop"; } else {',
  '  ctx._source.id = params.id;',
  '  ctx._source.inStock = params.inStock;',
  '  ctx._source.stockVersion = params.version;',
  '  if (ctx._source.listed == null) { ctx._source.listed = false; }',
  '}',
].join('\n');

export const UNLIST_SCRIPT = 'ctx._source.listed = false; ctx._source.version = params.version;';

/** The `operations` of one bulk request: an `update` with a scripted upsert per write, in order. */
export function bulkOperations(operations: readonly IndexOperation[]): estypes.BulkRequest['operations'] {
  return operations.flatMap((op) => {
    const id = op.kind === 'product' ? op.product.id : op.id;
    const script: estypes.Script =
      op.kind === 'product'
        ? { source: PRODUCT_SCRIPT, lang: 'painless', params: { fields: { ...op.product, listed: op.listed }, version: op.version } }
        : op.kind === 'archive'
          ? { source: ARCHIVE_SCRIPT, lang: 'painless', params: { id, version: op.version } }
          : { source: STOCK_SCRIPT, lang: 'painless', params: { id, inStock: op.inStock, version: op.version } };
    return [{ update: { _id: id, retry_on_conflict: 3 } }, { scripted_upsert: true, upsert: {}, script }];
  });
}

/** Hides the listed products that a rebuild neither saw nor saw written since it began. */
export function unlistRequest(index: string, version: number): estypes.UpdateByQueryRequest {
  return {
    index,
    conflicts: 'proceed',
    refresh: true,
    query: { bool: { filter: [{ term: { listed: true } }, { range: { version: { lt: version } } }] } },
    script: { source: UNLIST_SCRIPT, lang: 'painless', params: { version } },
  };
}

export function countListedRequest(index: string): estypes.CountRequest {
  return { index, query: { term: { listed: true } } };
}

// `brand` is a keyword (for its filter and facet); its words live in a text sub-field.
const boosted = (subfield: (field: string) => string) =>
  Object.entries(FIELD_BOOSTS).map(([field, boost]) => (boost === 1 ? subfield(field) : `${subfield(field)}^${boost}`));
const TEXT_FIELDS = boosted((field) => (field === 'brand' ? 'brand.text' : field));
const PREFIX_FIELDS = boosted((field) => `${field}.prefix`);

/**
 * One word must match some searchable field: as a whole word with typos allowed (`fuzziness:
 * AUTO`, a transposition counting as two edits, as in the embedded index), or as the start of
 * a word (edge n-grams), for words of prefix length.
 */
export function wordClause(word: string): estypes.QueryDslQueryContainer {
  const should: estypes.QueryDslQueryContainer[] = [
    { multi_match: { query: word, fields: TEXT_FIELDS, fuzziness: 'AUTO', fuzzy_transpositions: false } },
  ];
  if (prefixApplies(word)) should.push({ multi_match: { query: word, fields: PREFIX_FIELDS } });
  return { bool: { should, minimum_should_match: 1 } };
}

/** The indexed field of the price in the search's currency (codes are validated ISO 4217 codes). */
export function priceField(conditions: Pick<SearchConditions, 'currency'>): string {
  return `prices.${priceCurrency(conditions)}`;
}

/** The filters facets are about, by facet: each facet's counts leave its own out. */
export function facetFilters(conditions: SearchConditions): Map<FacetField, estypes.QueryDslQueryContainer> {
  const filters = new Map<FacetField, estypes.QueryDslQueryContainer>();
  if (conditions.categoryId !== undefined) filters.set('category', { term: { categoryIds: conditions.categoryId } });
  if (conditions.brand !== undefined) filters.set('brand', { term: { brand: conditions.brand } });
  if (conditions.color !== undefined) filters.set('color', { term: { color: conditions.color } });
  if (conditions.size !== undefined) filters.set('size', { term: { size: conditions.size } });
  const { price } = conditions;
  if (price !== undefined) {
    const range: estypes.QueryDslNumberRangeQuery = {};
    if (price.minMinor !== undefined) range.gte = price.minMinor;
    if (price.maxMinor !== undefined) range.lte = price.maxMinor;
    // A product without a price in the currency has no such field: no range matches it.
    filters.set('price', { range: { [priceField(conditions)]: range } });
  }
  return filters;
}

const allOf = (clauses: estypes.QueryDslQueryContainer[]): estypes.QueryDslQueryContainer =>
  clauses.length === 0 ? { match_all: {} } : { bool: { filter: clauses } };

const TERMS_FIELD: Record<Exclude<FacetField, 'price'>, string> = {
  brand: 'brand',
  color: 'color',
  size: 'size',
  category: 'categoryIds',
};

/**
 * One page: the text and the stock condition select the candidates (`query`), the facet filters
 * narrow the hits (`post_filter`), and each facet aggregates the candidates under every facet
 * filter but its own. Asks for one hit more than the page, to tell whether another follows.
 */
export function searchRequest(index: string, request: SearchRequest): estypes.SearchRequest {
  const candidates: estypes.QueryDslBoolQuery = { filter: [{ term: { listed: true } }] };
  if (request.inStock !== undefined) (candidates.filter as estypes.QueryDslQueryContainer[]).push({ term: { inStock: request.inStock } });
  if (request.terms !== null) {
    candidates.must = request.terms.length === 0 ? [{ match_none: {} }] : request.terms.map(wordClause);
  }

  const filters = facetFilters(request);
  const allBut = (field: FacetField) => [...filters].filter(([f]) => f !== field).map(([, clause]) => clause);
  const aggs: Record<string, estypes.AggregationsAggregationContainer> = {};
  for (const field of FACET_FIELDS) {
    if (field === 'price') {
      aggs[`facet_${field}`] = {
        filter: allOf(allBut(field)),
        aggs: {
          values: {
            range: {
              field: priceField(request),
              ranges: priceBuckets(priceCurrency(request)).map((b) =>
                b.toMinor === undefined ? { key: b.key, from: b.fromMinor } : { key: b.key, from: b.fromMinor, to: b.toMinor },
              ),
            },
          },
          min: { min: { field: priceField(request) } },
          max: { max: { field: priceField(request) } },
        },
      };
    } else {
      aggs[`facet_${field}`] = {
        filter: allOf(allBut(field)),
        aggs: { values: { terms: { field: TERMS_FIELD[field], size: TERMS_FACET_SIZE, order: [{ _count: 'desc' }, { _key: 'asc' }] } } },
      };
    }
  }

  const body: estypes.SearchRequest = {
    index,
    size: request.first + 1,
    track_total_hits: true,
    _source: false,
    query: { bool: candidates },
    aggs,
    sort: SORT_SPECS[request.sort].map(({ field, order }): estypes.SortCombinations =>
      field === 'priceMinor'
        ? // `unmapped_type`: no product priced in the currency yet is an empty sort, not an error.
          { [priceField(request)]: { order, missing: missingPrice(order), unmapped_type: 'long' } }
        : { [field]: { order } },
    ),
  };
  if (filters.size > 0) body.post_filter = allOf([...filters.values()]);
  if (request.after !== undefined) body.search_after = [...request.after];
  return body;
}

interface Bucket {
  key: string | number;
  doc_count: number;
}

interface FacetAggregate {
  values?: { buckets?: Bucket[] };
  min?: { value: number | null };
  max?: { value: number | null };
}

/** The repository's answer from a response to `searchRequest(index, request)`. */
export function parseSearchResponse(response: estypes.SearchResponse, request: SearchRequest): SearchPage {
  const hits = response.hits.hits;
  const total = response.hits.total;
  const aggregations = (response.aggregations ?? {}) as Record<string, FacetAggregate>;
  const facets: FacetCounts[] = FACET_FIELDS.map((field) => ({
    field,
    values: (aggregations[`facet_${field}`]?.values?.buckets ?? [])
      .filter((bucket) => bucket.doc_count > 0)
      .map((bucket) => ({ value: String(bucket.key), count: bucket.doc_count })),
  }));
  const price = aggregations.facet_price;
  const min = price?.min?.value;
  const max = price?.max?.value;
  return {
    hits: hits.slice(0, request.first).map((hit) => ({ id: String(hit._id), sortKey: (hit.sort ?? []) as SortKey })),
    hasNextPage: hits.length > request.first,
    totalCount: typeof total === 'number' ? total : (total?.value ?? 0),
    facets,
    priceRange: typeof min === 'number' && typeof max === 'number' ? { minMinor: Math.round(min), maxMinor: Math.round(max) } : null,
  };
}

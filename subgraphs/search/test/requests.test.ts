import { describe, expect, it } from '@jest/globals';
import type { estypes } from '@elastic/elasticsearch';
import type { SearchRequest } from '../src/repository.js';
import {
  ARCHIVE_SCRIPT,
  INDEX_SCHEMA_VERSION,
  PRODUCT_SCRIPT,
  STOCK_SCRIPT,
  UNLIST_SCRIPT,
  bulkOperations,
  countListedRequest,
  indexDefinition,
  parseSearchResponse,
  searchRequest,
  unlistRequest,
  wordClause,
} from '../src/repository/requests.js';
import { tokenize } from '../src/text.js';
import { INJECTIONS, byId, pid, productOperation } from './fixtures.js';

const base: SearchRequest = { terms: null, sort: 'RELEVANCE', first: 20 };

const TEXT = { fields: ['name^3', 'brand.text^2', 'categoryName^2', 'description'], fuzziness: 'AUTO', fuzzy_transpositions: false };
const PREFIX = { fields: ['name.prefix^3', 'brand.prefix^2', 'categoryName.prefix^2', 'description.prefix'] };
const TERMS_ORDER = [{ _count: 'desc' }, { _key: 'asc' }];
const PRICE_RANGES = [
  { key: '0.00-24.99', from: 0, to: 2500 },
  { key: '25.00-49.99', from: 2500, to: 5000 },
  { key: '50.00-99.99', from: 5000, to: 10_000 },
  { key: '100.00-199.99', from: 10_000, to: 20_000 },
  { key: '200.00-', from: 20_000 },
];
const priceAggs = (filter: object, field = 'prices.EUR', ranges: object[] = PRICE_RANGES) => ({
  filter,
  aggs: {
    values: { range: { field, ranges } },
    min: { min: { field } },
    max: { max: { field } },
  },
});
const priceSort = (order: 'asc' | 'desc', field = 'prices.EUR') => ({
  [field]: { order, missing: order === 'asc' ? Number.MAX_SAFE_INTEGER : -1, unmapped_type: 'long' },
});
const termsAggs = (field: string, filter: object) => ({
  filter,
  aggs: { values: { terms: { field, size: 50, order: TERMS_ORDER } } },
});

describe('searchRequest', () => {
  it('browses without text: listed products only, every facet unfiltered, id order under a score of 0', () => {
    expect(searchRequest('products', base)).toEqual({
      index: 'products',
      size: 21,
      track_total_hits: true,
      _source: false,
      query: { bool: { filter: [{ term: { listed: true } }] } },
      aggs: {
        facet_brand: termsAggs('brand', { match_all: {} }),
        facet_color: termsAggs('color', { match_all: {} }),
        facet_size: termsAggs('size', { match_all: {} }),
        facet_category: termsAggs('categoryIds', { match_all: {} }),
        facet_price: priceAggs({ match_all: {} }),
      },
      sort: [{ _score: { order: 'desc' } }, { id: { order: 'asc' } }],
    });
  });

  it('puts text and stock in the query, facet filters in post_filter and in every other facet, and continues after a key', () => {
    const request: SearchRequest = {
      terms: ['wool', 'jakcet'],
      categoryId: 'cat-clothing',
      brand: 'Nordkap',
      price: { minMinor: 1000, maxMinor: 20_000 },
      inStock: true,
      sort: 'PRICE_ASC',
      first: 2,
      after: [12900, 'prod-01'],
    };
    const category = { term: { categoryIds: 'cat-clothing' } };
    const brand = { term: { brand: 'Nordkap' } };
    const price = { range: { 'prices.EUR': { gte: 1000, lte: 20_000 } } };
    expect(searchRequest('shop-products', request)).toEqual({
      index: 'shop-products',
      size: 3,
      track_total_hits: true,
      _source: false,
      query: {
        bool: {
          filter: [{ term: { listed: true } }, { term: { inStock: true } }],
          must: [
            { bool: { should: [{ multi_match: { query: 'wool', ...TEXT } }, { multi_match: { query: 'wool', ...PREFIX } }], minimum_should_match: 1 } },
            { bool: { should: [{ multi_match: { query: 'jakcet', ...TEXT } }, { multi_match: { query: 'jakcet', ...PREFIX } }], minimum_should_match: 1 } },
          ],
        },
      },
      post_filter: { bool: { filter: [category, brand, price] } },
      aggs: {
        facet_brand: termsAggs('brand', { bool: { filter: [category, price] } }),
        facet_color: termsAggs('color', { bool: { filter: [category, brand, price] } }),
        facet_size: termsAggs('size', { bool: { filter: [category, brand, price] } }),
        facet_category: termsAggs('categoryIds', { bool: { filter: [brand, price] } }),
        facet_price: priceAggs({ bool: { filter: [category, brand] } }),
      },
      sort: [priceSort('asc'), { id: { order: 'asc' } }],
      search_after: [12900, 'prod-01'],
    });
  });

  it('matches nothing for text without a word', () => {
    const request = searchRequest('products', { ...base, terms: [] });
    expect(request.query).toEqual({ bool: { filter: [{ term: { listed: true } }], must: [{ match_none: {} }] } });
  });

  it('sorts each way, ending with the id', () => {
    const sortOf = (sort: SearchRequest['sort']) => searchRequest('p', { ...base, sort }).sort;
    expect(sortOf('PRICE_DESC')).toEqual([priceSort('desc'), { id: { order: 'asc' } }]);
    expect(sortOf('RATING')).toEqual([{ ratingAverage: { order: 'desc' } }, { ratingCount: { order: 'desc' } }, { id: { order: 'asc' } }]);
    expect(sortOf('NEWEST')).toEqual([{ createdAt: { order: 'desc' } }, { id: { order: 'asc' } }]);
  });

  it('asks one hit even for an empty page, to tell whether hits follow', () => {
    expect(searchRequest('p', { ...base, first: 0 }).size).toBe(1);
  });

  it('sends colour, size and a one-sided price bound as term and range filters', () => {
    const request = searchRequest('p', { ...base, color: 'Black', size: 'M', price: { maxMinor: 999 } });
    expect(request.post_filter).toEqual({
      bool: {
        filter: [
          { term: { color: 'Black' } },
          { term: { size: 'M' } },
          { range: { 'prices.EUR': { lte: 999 } } },
        ],
      },
    });
  });

  it("filters, buckets, ranges and sorts prices in the search's currency, with ranges of that currency's reach", () => {
    const request = searchRequest('p', { ...base, currency: 'JPY', price: { minMinor: 2500 }, sort: 'PRICE_ASC' });
    expect(request.post_filter).toEqual({ bool: { filter: [{ range: { 'prices.JPY': { gte: 2500 } } }] } });
    expect(request.aggs?.facet_price).toEqual(
      priceAggs({ match_all: {} }, 'prices.JPY', [
        { key: '0-2499', from: 0, to: 2500 },
        { key: '2500-4999', from: 2500, to: 5000 },
        { key: '5000-9999', from: 5000, to: 10_000 },
        { key: '10000-19999', from: 10_000, to: 20_000 },
        { key: '20000-', from: 20_000 },
      ]),
    );
    expect(request.sort).toEqual([priceSort('asc', 'prices.JPY'), { id: { order: 'asc' } }]);
    const usd = searchRequest('p', { ...base, currency: 'USD', sort: 'PRICE_DESC' });
    expect(usd.aggs?.facet_price).toEqual(priceAggs({ match_all: {} }, 'prices.USD'));
    expect(usd.sort).toEqual([priceSort('desc', 'prices.USD'), { id: { order: 'asc' } }]);
  });

  it('never lets user text reach query syntax: every word goes to multi_match as plain text', () => {
    for (const text of INJECTIONS) {
      const request = searchRequest('products', { ...base, terms: tokenize(text), brand: text });
      const json = JSON.stringify(request);
      for (const parser of ['query_string', 'simple_query_string', 'regexp', 'wildcard', 'script', 'intervals']) {
        expect(json).not.toContain(`"${parser}"`);
      }
      expect(request.post_filter).toEqual({ bool: { filter: [{ term: { brand: text } }] } });
    }
  });
});

describe('wordClause', () => {
  it('matches prefixes only for words of edge n-gram length (2 to 20 characters)', () => {
    expect(wordClause('a')).toEqual({ bool: { should: [{ multi_match: { query: 'a', ...TEXT } }], minimum_should_match: 1 } });
    const both = (word: string) => ({
      bool: { should: [{ multi_match: { query: word, ...TEXT } }, { multi_match: { query: word, ...PREFIX } }], minimum_should_match: 1 },
    });
    expect(wordClause('ab')).toEqual(both('ab'));
    expect(wordClause('a'.repeat(20))).toEqual(both('a'.repeat(20)));
    const long = 'a'.repeat(21);
    expect(wordClause(long)).toEqual({ bool: { should: [{ multi_match: { query: long, ...TEXT } }], minimum_should_match: 1 } });
  });
});

describe('bulkOperations', () => {
  it('turns each write into a scripted upsert carrying its version', () => {
    const product = productOperation(byId(pid(7)), 1000);
    const operations = bulkOperations([
      product,
      { kind: 'archive', id: pid(8), version: 2000 },
      { kind: 'stock', id: pid(9), inStock: true, version: 3000 },
    ]);
    expect(operations).toEqual([
      { update: { _id: pid(7), retry_on_conflict: 3 } },
      {
        scripted_upsert: true,
        upsert: {},
        script: {
          source: PRODUCT_SCRIPT,
          lang: 'painless',
          params: {
            fields: {
              id: pid(7),
              sku: 'SKU-7',
              name: 'Espresso Cup Set',
              description: 'Four porcelain cups.',
              categoryId: 'cat-kitchen',
              categoryIds: ['cat-kitchen'],
              categoryName: 'Kitchen',
              brand: 'Brühwerk',
              color: 'White',
              size: null,
              priceMinor: 2500,
              basePriceMinor: 2500,
              currency: 'EUR',
              prices: { EUR: 2500 },
              ratingAverage: 4.8,
              ratingCount: 30,
              createdAt: '2024-07-01T10:00:00.000Z',
              listed: true,
            },
            version: 1000,
          },
        },
      },
      { update: { _id: pid(8), retry_on_conflict: 3 } },
      { scripted_upsert: true, upsert: {}, script: { source: ARCHIVE_SCRIPT, lang: 'painless', params: { id: pid(8), version: 2000 } } },
      { update: { _id: pid(9), retry_on_conflict: 3 } },
      {
        scripted_upsert: true,
        upsert: {},
        script: { source: STOCK_SCRIPT, lang: 'painless', params: { id: pid(9), inStock: true, version: 3000 } },
      },
    ]);
  });

  it('makes every script refuse a write older than the stored version, each on its own version field', () => {
    expect(PRODUCT_SCRIPT).toContain('ctx._source.version > params.version) { ctx.op = "noop"; }');
    expect(ARCHIVE_SCRIPT).toContain('ctx._source.version > params.version) { ctx.op = "noop"; }');
    expect(STOCK_SCRIPT).toContain('ctx._source.stockVersion > params.version) { ctx.op = "noop"; }');
    // Product data never touches the stock flag, stock never touches the listing.
    expect(PRODUCT_SCRIPT).not.toContain('params.inStock');
    expect(STOCK_SCRIPT).not.toContain('params.fields');
  });
});

describe('unlistRequest and countListedRequest', () => {
  it('hides listed products older than the rebuild, tolerating concurrent writes', () => {
    expect(unlistRequest('products', 5000)).toEqual({
      index: 'products',
      conflicts: 'proceed',
      refresh: true,
      query: { bool: { filter: [{ term: { listed: true } }, { range: { version: { lt: 5000 } } }] } },
      script: { source: UNLIST_SCRIPT, lang: 'painless', params: { version: 5000 } },
    });
    expect(countListedRequest('products')).toEqual({ index: 'products', query: { term: { listed: true } } });
  });
});

describe('indexDefinition', () => {
  it('analyses text as text.ts does: words of letters and digits, lower case, no accents, prefixes of 2 to 20', () => {
    const { settings, mappings } = indexDefinition();
    expect(settings).toEqual({
      number_of_shards: 1,
      analysis: {
        tokenizer: { words: { type: 'pattern', pattern: '[^\\p{L}\\p{N}]+' } },
        filter: { word_prefixes: { type: 'edge_ngram', min_gram: 2, max_gram: 20 } },
        analyzer: {
          folded: { type: 'custom', tokenizer: 'words', filter: ['lowercase', 'asciifolding'] },
          folded_prefixes: { type: 'custom', tokenizer: 'words', filter: ['lowercase', 'asciifolding', 'word_prefixes'] },
        },
      },
    });
    expect(mappings?.dynamic).toBe('strict');
    expect(mappings?._meta).toEqual({ schemaVersion: INDEX_SCHEMA_VERSION });
    const properties = mappings!.properties!;
    expect(properties.name).toEqual({
      type: 'text',
      analyzer: 'folded',
      fields: { prefix: { type: 'text', analyzer: 'folded_prefixes', search_analyzer: 'folded' } },
    });
    for (const keyword of ['id', 'brand', 'color', 'size', 'categoryIds', 'currency']) {
      expect({ keyword, type: (properties[keyword] as { type: string }).type }).toEqual({ keyword, type: 'keyword' });
    }
    expect(properties.createdAt).toEqual({ type: 'date' });
  });

  it('maps every field a product write stores, so a strict index accepts it', () => {
    const op = productOperation(byId(pid(1)), 1);
    if (op.kind !== 'product') throw new Error('expected a product write');
    const written = [...Object.keys(op.product), 'listed', 'version', 'inStock', 'stockVersion'];
    expect(Object.keys(indexDefinition().mappings!.properties!).sort()).toEqual(written.sort());
  });
});

describe('parseSearchResponse', () => {
  const response = {
    took: 3,
    timed_out: false,
    _shards: { total: 1, successful: 1, skipped: 0, failed: 0 },
    hits: {
      total: { value: 7, relation: 'eq' },
      max_score: null,
      hits: [
        { _index: 'products', _id: 'prod-10', _score: null, sort: [1250, 'prod-10'] },
        { _index: 'products', _id: 'prod-02', _score: null, sort: [1999, 'prod-02'] },
        { _index: 'products', _id: 'prod-03', _score: null, sort: [2499, 'prod-03'] },
      ],
    },
    aggregations: {
      facet_brand: { doc_count: 7, values: { buckets: [{ key: 'Leafwear', doc_count: 3 }, { key: 'Nordkap', doc_count: 1 }] } },
      facet_color: { doc_count: 7, values: { buckets: [] } },
      facet_size: { doc_count: 7, values: { buckets: [{ key: 'M', doc_count: 2 }] } },
      facet_category: { doc_count: 7, values: { buckets: [{ key: 'cat-clothing', doc_count: 4 }] } },
      facet_price: {
        doc_count: 6,
        values: {
          buckets: [
            { key: '0.00-24.99', from: 0, to: 2500, doc_count: 3 },
            { key: '25.00-49.99', from: 2500, to: 5000, doc_count: 0 },
            { key: '200.00-', from: 20000, doc_count: 1 },
          ],
        },
        min: { value: 1250.0 },
        max: { value: 25000.0 },
      },
    },
  } as unknown as estypes.SearchResponse;

  it('cuts the extra hit, keeps sort keys, drops empty buckets and reads the price range', () => {
    expect(parseSearchResponse(response, { ...base, sort: 'PRICE_ASC', first: 2 })).toEqual({
      hits: [
        { id: 'prod-10', sortKey: [1250, 'prod-10'] },
        { id: 'prod-02', sortKey: [1999, 'prod-02'] },
      ],
      hasNextPage: true,
      totalCount: 7,
      facets: [
        { field: 'brand', values: [{ value: 'Leafwear', count: 3 }, { value: 'Nordkap', count: 1 }] },
        { field: 'color', values: [] },
        { field: 'size', values: [{ value: 'M', count: 2 }] },
        { field: 'category', values: [{ value: 'cat-clothing', count: 4 }] },
        { field: 'price', values: [{ value: '0.00-24.99', count: 3 }, { value: '200.00-', count: 1 }] },
      ],
      priceRange: { minMinor: 1250, maxMinor: 25000 },
    });
    expect(parseSearchResponse(response, { ...base, first: 3 }).hasNextPage).toBe(false);
  });

  it('reports no price range when nothing priced in EUR matched', () => {
    const empty = {
      ...response,
      hits: { total: 0, hits: [] },
      aggregations: { facet_price: { doc_count: 0, values: { buckets: [] }, min: { value: null }, max: { value: null } } },
    } as unknown as estypes.SearchResponse;
    const page = parseSearchResponse(empty, base);
    expect(page).toMatchObject({ hits: [], hasNextPage: false, totalCount: 0, priceRange: null });
    expect(page.facets.every((f) => f.values.length === 0)).toBe(true);
  });
});

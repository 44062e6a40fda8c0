import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createEvent, createRedisBus } from '@shop/events';
import { errorCodes, graphql, graphqlOk } from '@shop/testing';
import { CATALOG, INJECTIONS, byId, pid } from './fixtures.js';
import { eventually, publish, searchProducts, startSearch, type RunningSearch, type SearchData } from './harness.js';

describe('searchProducts over HTTP, fed by product events on the in-process bus', () => {
  let search: RunningSearch;
  const ok = async (variables: Record<string, unknown>) => {
    const result = await searchProducts(search.url, variables);
    if (result.errors?.length || !result.data) throw new Error(`GraphQL errors: ${JSON.stringify(result.errors)}`);
    return result.data.searchProducts;
  };
  const idsOf = async (variables: Record<string, unknown>) => (await ok(variables)).nodes.map((n) => n.id);
  const rejected = async (variables: Record<string, unknown>) => {
    const result = await searchProducts(search.url, variables);
    return { codes: errorCodes(result), field: result.errors?.[0]?.extensions?.field, data: result.data };
  };

  beforeAll(async () => {
    search = await startSearch();
    await search.bus.publish(CATALOG.map((product) => createEvent('products', 'product.created', product.id, { product })));
    await search.bus.publish([
      createEvent('inventory', 'stock.changed', pid(1), { productId: pid(1), available: 3, reserved: 0, onHand: 3, inStock: true }),
      createEvent('inventory', 'stock.changed', pid(4), { productId: pid(4), available: 1, reserved: 1, onHand: 2, inStock: true }),
    ]);
    await eventually(async () => expect((await ok({ filter: { inStock: true } })).totalCount).toBe(2));
  });

  afterAll(async () => {
    await search?.stop();
  });

  it('answers /health once the repository answers', async () => {
    const response = await fetch(search.url.replace('/graphql', '/health'));
    expect(response.status).toBe(200);
  });

  it('returns product references only, in the order of the sort', async () => {
    const result = await graphqlOk<{ searchProducts: { nodes: { __typename: string; id: string }[] } }>(
      search.url,
      '{ searchProducts(sort: PRICE_ASC, filter: { categoryId: "cat-kitchen" }) { nodes { __typename id } } }',
    );
    // The teapot has no EUR price: last.
    expect(result.searchProducts.nodes).toEqual([7, 9, 8, 11].map((n) => ({ __typename: 'Product', id: pid(n) })));
    // Search knows nothing else of a product: the router fills it in from the subgraphs that own it.
    const more = await graphql(search.url, '{ searchProducts { nodes { id name } } }');
    expect(errorCodes(more)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });

  it('sorts by relevance, price, rating and newest', async () => {
    expect(await idsOf({ query: 'canvas' })).toEqual([pid(6), pid(9)]);
    expect(await idsOf({ sort: 'PRICE_DESC', filter: { brand: 'Nordkap' } })).toEqual([pid(1), pid(4), pid(10)]);
    expect(await idsOf({ sort: 'RATING', filter: { categoryId: 'cat-kitchen' } })).toEqual([pid(7), pid(8), pid(9), pid(11)]);
    expect(await idsOf({ sort: 'NEWEST', filter: { categoryId: 'cat-clothing' } })).toEqual([pid(10), pid(4), pid(3), pid(2), pid(1)]);
  });

  it('bounds the price inclusively with decimal EUR strings', async () => {
    expect(await idsOf({ filter: { priceMin: '25.00', priceMax: '50' }, sort: 'PRICE_ASC' })).toEqual([7, 9, 12, 6, 8].map(pid));
    expect(await idsOf({ filter: { priceMin: '24.99', priceMax: '24.99' } })).toEqual([pid(3)]);
    expect(await idsOf({ filter: { priceMax: '12.49' } })).toEqual([]);
    expect(await idsOf({ filter: { priceMin: '129' } })).toEqual([pid(1)]);
  });

  it.each([
    ['priceMin', 'abc'],
    ['priceMin', '-1'],
    ['priceMax', '1.234'],
    ['priceMax', '1e3'],
    ['priceMin', '{"$gt": ""}'],
  ])('refuses %s %j as BAD_USER_INPUT naming the field', async (field, value) => {
    expect(await rejected({ filter: { [field]: value } })).toEqual({ codes: ['BAD_USER_INPUT'], field: `filter.${field}`, data: null });
  });

  it('refuses priceMin above priceMax', async () => {
    expect(await rejected({ filter: { priceMin: '50', priceMax: '10' } })).toMatchObject({ codes: ['BAD_USER_INPUT'], field: 'filter.priceMin' });
  });

  it('filters by category with its subtree, brand, colour, size and stock', async () => {
    expect(await idsOf({ filter: { categoryId: 'cat-footwear' } })).toEqual([pid(5), pid(6), pid(12)]);
    expect(await idsOf({ filter: { brand: 'Stride', color: 'Yellow', size: '30' } })).toEqual([pid(12)]);
    expect(await idsOf({ query: 'jacket', filter: { inStock: true }, sort: 'PRICE_DESC' })).toEqual([pid(1), pid(4)]);
    expect((await ok({ filter: { inStock: false } })).totalCount).toBe(CATALOG.length - 2);
  });

  it('carries facet counts over the filtered matches, each facet ignoring its own filter', async () => {
    const result = await ok({ filter: { categoryId: 'cat-clothing', color: 'Grey' }, first: 0 });
    expect(result.totalCount).toBe(2);
    const facet = (field: string) => result.facets.find((f) => f.field === field)?.values;
    expect(result.facets.map((f) => f.field)).toEqual(['brand', 'color', 'size', 'category', 'price']);
    expect(facet('brand')).toEqual([{ value: 'Nordkap', count: 2 }]);
    // Colours of all clothing, as the colour filter is left out of its own facet.
    expect(facet('color')).toEqual([
      { value: 'Grey', count: 2 },
      { value: 'Black', count: 1 },
      { value: 'White', count: 1 },
      { value: 'Yellow', count: 1 },
    ]);
    // Categories of all grey products.
    expect(facet('category')).toEqual([
      { value: 'cat-clothing', count: 2 },
      { value: 'cat-jackets', count: 1 },
    ]);
    expect(facet('price')).toEqual([
      { value: '0.00-24.99', count: 1 },
      { value: '100.00-199.99', count: 1 },
    ]);
    expect(result.priceRange).toEqual({ min: { amount: '12.50', currencyCode: 'EUR' }, max: { amount: '129.00', currencyCode: 'EUR' } });
  });

  it('pages forward without repeats, with a stable total, to the end', async () => {
    const everything = await idsOf({ sort: 'RATING', first: 100 });
    const seen: string[] = [];
    let after: string | null = null;
    for (let pages = 0; pages < 10; pages++) {
      const page: SearchData['searchProducts'] = await ok({ sort: 'RATING', first: 5, after });
      expect(page.totalCount).toBe(everything.length);
      seen.push(...page.nodes.map((n) => n.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(everything);
    expect(new Set(seen).size).toBe(seen.length);
    const first20 = await ok({});
    expect(first20.nodes).toHaveLength(Math.min(20, everything.length));
    const empty = await ok({ first: 0 });
    expect(empty).toMatchObject({ nodes: [], pageInfo: { hasNextPage: true, endCursor: null } });
  });

  it('refuses a cursor it did not issue, one of another search, and page sizes outside 0..100', async () => {
    const page = await ok({ sort: 'PRICE_ASC', first: 2 });
    expect(await rejected({ after: 'garbage!' })).toMatchObject({ codes: ['BAD_USER_INPUT'], field: 'after' });
    expect(await rejected({ after: Buffer.from('{"f":"x","k":[1,"a"]}').toString('base64url') })).toMatchObject({ codes: ['BAD_USER_INPUT'], field: 'after' });
    expect(await rejected({ sort: 'PRICE_DESC', first: 2, after: page.pageInfo.endCursor })).toMatchObject({ codes: ['BAD_USER_INPUT'], field: 'after' });
    expect(await rejected({ first: 101 })).toMatchObject({ codes: ['BAD_USER_INPUT'], field: 'first' });
    expect(await rejected({ first: -1 })).toMatchObject({ codes: ['BAD_USER_INPUT'], field: 'first' });
  });

  it('treats injection-looking input as text: no accidental matches, no errors', async () => {
    for (const text of INJECTIONS) {
      const asQuery = await searchProducts(search.url, { query: text });
      expect({ text, errors: asQuery.errors, totalCount: asQuery.data?.searchProducts.totalCount }).toEqual({ text, errors: undefined, totalCount: 0 });
      for (const field of ['categoryId', 'brand', 'color', 'size']) {
        const asFilter = await searchProducts(search.url, { filter: { [field]: text } });
        expect({ text, field, errors: asFilter.errors, totalCount: asFilter.data?.searchProducts.totalCount }).toEqual({
          text,
          field,
          errors: undefined,
          totalCount: 0,
        });
      }
    }
  });

  it('refuses a query of more than 200 characters or 10 words; an empty one matches everything', async () => {
    expect(await rejected({ query: 'a'.repeat(201) })).toMatchObject({ codes: ['BAD_USER_INPUT'], field: 'query' });
    expect(await rejected({ query: 'a b c d e f g h i j k' })).toMatchObject({ codes: ['BAD_USER_INPUT'], field: 'query' });
    expect((await ok({ query: '   ' })).totalCount).toBe((await ok({})).totalCount);
  });

  describe('following the catalog', () => {
    const kettle = { ...byId(pid(7)), id: 'prod-60', name: 'Copper Kettle', updatedAt: '2025-03-01T10:00:00.000Z' };

    it('finds a new product by a word of its name, and by a one-typo variant', async () => {
      const lamp = { ...byId(pid(3)), id: 'prod-50', name: 'Brass Reading Lamp' };
      await publish(search.bus, 'products', 'product.created', lamp.id, { product: lamp });
      await eventually(async () => expect(await idsOf({ query: 'lamp' })).toEqual(['prod-50']));
      expect(await idsOf({ query: 'lamb' })).toEqual(['prod-50']);
      expect(await idsOf({ query: 'readinf' })).toEqual(['prod-50']);
    });

    it('re-indexes an updated product, and ignores an update older than what it holds', async () => {
      await publish(search.bus, 'products', 'product.created', kettle.id, { product: kettle });
      await eventually(async () => expect(await idsOf({ query: 'kettle' })).toEqual(['prod-60']));
      await publish(search.bus, 'products', 'product.updated', kettle.id, {
        product: { ...kettle, name: 'Steel Kettle', priceMinor: 4000, updatedAt: '2025-03-02T10:00:00.000Z' },
      });
      await eventually(async () => expect(await idsOf({ query: 'steel' })).toEqual(['prod-60']));
      await publish(search.bus, 'products', 'product.updated', kettle.id, {
        product: { ...kettle, name: 'Stale Kettle', updatedAt: '2025-03-01T12:00:00.000Z' },
      });
      // A later event makes sure the stale one has been handled before looking.
      await publish(search.bus, 'products', 'product.created', 'prod-61', { product: { ...kettle, id: 'prod-61', name: 'Marker Mug' } });
      await eventually(async () => expect(await idsOf({ query: 'marker' })).toEqual(['prod-61']));
      expect(await idsOf({ query: 'stale' })).toEqual([]);
      expect(await idsOf({ query: 'kettle', filter: { priceMin: '40', priceMax: '40' } })).toEqual(['prod-60']);
    });

    it('drops an archived product from every search', async () => {
      await publish(search.bus, 'products', 'product.archived', 'prod-60', { productId: 'prod-60', sku: kettle.sku, archivedAt: '2025-03-03T10:00:00.000Z' });
      await eventually(async () => expect(await idsOf({ query: 'kettle' })).toEqual([]));
      expect(await idsOf({ filter: { priceMin: '40', priceMax: '40' } })).toEqual([]);
    });

    it('follows stock changes', async () => {
      await publish(search.bus, 'inventory', 'stock.changed', pid(12), { productId: pid(12), available: 4, reserved: 0, onHand: 4, inStock: true });
      await eventually(async () => expect(await idsOf({ query: 'boots', filter: { inStock: true } })).toEqual([pid(12)]));
      await publish(search.bus, 'inventory', 'stock.changed', pid(12), { productId: pid(12), available: 0, reserved: 4, onHand: 4, inStock: false });
      await eventually(async () => expect(await idsOf({ query: 'boots', filter: { inStock: true } })).toEqual([]));
    });

    it('skips a malformed event and goes on with the next', async () => {
      await publish(search.bus, 'products', 'product.created', 'bad', { product: { id: 'bad' } });
      await publish(search.bus, 'products', 'product.created', 'prod-62', { product: { ...kettle, id: 'prod-62', name: 'Oak Tray' } });
      await eventually(async () => expect(await idsOf({ query: 'tray' })).toEqual(['prod-62']));
    });
  });
});

const redisUrl = process.env.SHOP_TEST_REDIS_URL;
(redisUrl ? describe : describe.skip)('the indexer on Redis Streams', () => {
  it('joins consumer group search.indexer from the beginning of the retained stream', async () => {
    const bus = createRedisBus(redisUrl!, { stream: `test-search:${Date.now()}:${Math.random()}` });
    // Published before search starts: a new group reads the stream from its start.
    await publish(bus, 'products', 'product.created', pid(7), { product: byId(pid(7)) });
    const search = await startSearch({ bus });
    try {
      await eventually(async () => {
        const result = await searchProducts(search.url, { query: 'espreso' });
        expect(result.data?.searchProducts.nodes).toEqual([{ id: pid(7) }]);
      }, 3000);
      await publish(bus, 'products', 'product.archived', pid(7), { productId: pid(7), sku: 'SKU-7', archivedAt: new Date().toISOString() });
      await eventually(async () => expect((await searchProducts(search.url, { query: 'espresso' })).data?.searchProducts.totalCount).toBe(0), 3000);
    } finally {
      await search.stop();
      await bus.close();
    }
  });
});

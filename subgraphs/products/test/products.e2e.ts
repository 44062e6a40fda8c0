import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parseAmount } from '@shop/money';
import { errorCodes, graphql, graphqlOk } from '@shop/testing';
import { effectivePrice } from '../src/pricing.js';
import { demoCategoryId, demoProductId, generateDemoCatalog } from '../src/seed/demoCatalog.js';
import { startProducts, type RunningProducts } from './harness.js';

const catalog = generateDemoCatalog();
const listed = catalog.products.filter((p) => p.archivedAt === null);
const archived = catalog.products.filter((p) => p.archivedAt !== null);
const categoryNamed = (name: string) => catalog.categories.find((c) => c.name === name)!;

const PRODUCT = `
  query Product($id: ID, $sku: String) {
    product(id: $id, sku: $sku) {
      id sku name slug description createdAt
      category { name parent { name } }
      price { amount currencyCode } basePrice { amount currencyCode }
      variants { id sku name size color price { amount currencyCode } }
      images { url alt }
      attributes { brand color size weightGrams dimensions }
    }
  }`;

const PRODUCTS = `
  query Products($filter: ProductFilter, $first: Int, $after: String) {
    products(filter: $filter, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { cursor node { id sku name description price { amount } category { id } attributes { brand color } } }
    }
  }`;

interface Page {
  products: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: {
      cursor: string;
      node: {
        id: string;
        sku: string;
        name: string;
        description: string | null;
        price: { amount: string };
        category: { id: string };
        attributes: { brand: string | null; color: string | null };
      };
    }[];
  };
}

describe('products subgraph over HTTP (embedded store, demo catalog)', () => {
  let api: RunningProducts;

  beforeAll(async () => {
    api = await startProducts();
  });

  afterAll(async () => {
    await api.stop();
  });

  /** Every node matching a filter, following cursors to the end. */
  const listAll = async (filter: Record<string, unknown>, first = 100) => {
    const nodes: Page['products']['edges'][number]['node'][] = [];
    let after: string | null = null;
    for (;;) {
      const data: Page = await graphqlOk<Page>(api.url, PRODUCTS, { filter, first, after });
      nodes.push(...data.products.edges.map((e) => e.node));
      if (!data.products.pageInfo.hasNextPage) return { nodes, totalCount: data.products.totalCount };
      after = data.products.pageInfo.endCursor;
    }
  };

  it('answers /health once the store is ready', async () => {
    const response = await fetch(api.url.replace('/graphql', '/health'));
    expect(response.status).toBe(200);
  });

  describe('Query.product', () => {
    it('finds the same product by id and by SKU, with everything a product page shows', async () => {
      const byId = await graphqlOk(api.url, PRODUCT, { id: demoProductId(1) });
      const bySku = await graphqlOk(api.url, PRODUCT, { sku: 'TSH-0001' });
      expect(byId).toEqual(bySku);
      const p = byId.product;
      const seeded = catalog.products[0]!;
      expect(p).toMatchObject({
        id: demoProductId(1),
        sku: 'TSH-0001',
        name: seeded.name,
        slug: seeded.slug,
        description: seeded.description,
        createdAt: seeded.createdAt.toISOString(),
        category: { name: 'T-Shirts', parent: { name: 'Clothing' } },
        basePrice: { currencyCode: 'EUR' },
        attributes: { brand: seeded.attributes.brand, weightGrams: seeded.attributes.weightGrams },
      });
      expect(p.images[0].url).toBe('https://images.example.com/products/TSH-0001-1.jpg');
      expect(p.variants.length).toBe(seeded.variants.length);
      expect(p.variants[0]).toMatchObject({ id: seeded.variants[0]!.id, sku: seeded.variants[0]!.sku, price: { currencyCode: 'EUR' } });
      expect(p.basePrice.amount).toMatch(/^\d+\.\d{2}$/);
    });

    it.each([
      ['both id and sku', { id: demoProductId(1), sku: 'TSH-0001' }],
      ['neither', {}],
    ])('refuses %s with BAD_USER_INPUT', async (_label, variables) => {
      const result = await graphql(api.url, PRODUCT, variables);
      expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
      expect(result.data?.product ?? null).toBeNull();
    });

    it('answers null for an unknown or malformed id and an unknown SKU', async () => {
      for (const variables of [{ id: demoProductId(5000) }, { id: 'not-an-id' }, { id: '{"$gt": ""}' }, { sku: 'NOPE-0000' }]) {
        const result = await graphql(api.url, PRODUCT, variables);
        expect(result.errors).toBeUndefined();
        expect(result.data.product).toBeNull();
      }
    });
  });

  describe('Query.products', () => {
    it('walks the whole catalog forward without repeats or skips, with a steady totalCount', async () => {
      const seen: string[] = [];
      let after: string | null = null;
      let pages = 0;
      for (;;) {
        const data: Page = await graphqlOk<Page>(api.url, PRODUCTS, { first: 37, after });
        pages += 1;
        expect(data.products.totalCount).toBe(listed.length);
        seen.push(...data.products.edges.map((e) => e.node.id));
        expect(data.products.pageInfo.endCursor).toBe(data.products.edges.at(-1)?.cursor ?? null);
        if (!data.products.pageInfo.hasNextPage) break;
        expect(data.products.edges).toHaveLength(37);
        after = data.products.pageInfo.endCursor;
      }
      expect(pages).toBe(Math.ceil(listed.length / 37));
      expect(seen).toEqual(listed.map((p) => p._id).sort());
    });

    it('gives 20 products when `first` is not given, and none (but the count) for first: 0', async () => {
      const defaults = await graphqlOk<Page>(api.url, PRODUCTS, {});
      expect(defaults.products.edges).toHaveLength(20);
      const none = await graphqlOk<Page>(api.url, PRODUCTS, { first: 0 });
      expect(none.products).toEqual({ totalCount: listed.length, pageInfo: { hasNextPage: true, endCursor: null }, edges: [] });
    });

    it('never lists archived products, even when asked for their SKUs', async () => {
      const { nodes } = await listAll({ skus: archived.map((p) => p.sku) });
      expect(nodes).toEqual([]);
    });

    it('filters by a category and everything below it', async () => {
      const clothing = categoryNamed('Clothing');
      const below = new Set(catalog.categories.filter((c) => c.parentId === clothing._id).map((c) => c._id));
      const { nodes, totalCount } = await listAll({ categoryId: clothing._id });
      const expected = listed.filter((p) => below.has(p.categoryId));
      expect(totalCount).toBe(expected.length);
      expect(nodes.map((n) => n.sku)).toEqual(expected.map((p) => p.sku));
      expect(new Set(nodes.map((n) => n.category.id))).toEqual(below);

      const tShirts = await listAll({ categoryId: categoryNamed('T-Shirts')._id });
      expect(tShirts.totalCount).toBe(listed.filter((p) => p.categoryId === categoryNamed('T-Shirts')._id).length);
      expect((await listAll({ categoryId: demoCategoryId(999) })).totalCount).toBe(0);
    });

    it('filters by brand', async () => {
      const { nodes, totalCount } = await listAll({ brand: 'Kestrel' });
      expect(totalCount).toBe(listed.filter((p) => p.attributes.brand === 'Kestrel').length);
      expect(totalCount).toBeGreaterThan(0);
      expect(nodes.every((n) => n.attributes.brand === 'Kestrel')).toBe(true);
    });

    it('filters by the price customers pay now, discounts included', async () => {
      const [min, max] = [parseAmount('20.00', 'EUR'), parseAmount('30.00', 'EUR')];
      const now = new Date();
      const expected = listed.filter((p) => {
        const price = effectivePrice(p, now).minor;
        return price >= min && price <= max;
      });
      const { nodes, totalCount } = await listAll({ minPrice: '20.00', maxPrice: '30' });
      expect(totalCount).toBe(expected.length);
      expect(nodes.map((n) => n.sku)).toEqual(expected.map((p) => p.sku));
      for (const n of nodes) {
        const amount = parseAmount(n.price.amount, 'EUR');
        expect(amount >= min && amount <= max).toBe(true);
      }
      // At least one of them is listed above 30.00 and only in range thanks to its discount.
      expect(expected.some((p) => p.basePrice.minor > max)).toBe(true);
    });

    it('searches for every word, case-insensitively', async () => {
      const { nodes, totalCount } = await listAll({ search: '  nordwind   TEE ' });
      expect(totalCount).toBeGreaterThan(0);
      for (const n of nodes) {
        const text = `${n.name} ${n.description} ${n.sku} ${n.attributes.brand} ${n.attributes.color}`.toLowerCase();
        expect(text).toContain('nordwind');
        expect(text).toContain('tee');
      }
    });

    it('combines filters', async () => {
      const { nodes } = await listAll({ search: 'hoodie', brand: 'Nordwind', maxPrice: '60' });
      const now = new Date();
      const searchable = (p: (typeof listed)[number]) =>
        [p.name, p.description, p.sku, p.attributes.brand, p.attributes.color].join(' ').toLowerCase();
      const expected = listed.filter(
        (p) => p.attributes.brand === 'Nordwind' && searchable(p).includes('hoodie') && effectivePrice(p, now).minor <= 6000,
      );
      expect(expected.length).toBeGreaterThan(0);
      expect(nodes.map((n) => n.sku)).toEqual(expected.map((p) => p.sku));
    });

    it.each([
      ['search', '{"$gt": ""}'],
      ['search', "'; DROP TABLE products; --"],
      ['search', '.*'],
      ['brand', '{"$gt": ""}'],
      ['brand', "Kestrel' OR '1'='1"],
      ['categoryId', '{"$ne": null}'],
      ['skus', ['{"$gt": ""}']],
    ])('takes %s %j literally: nothing matches, and the catalog is intact', async (field, value) => {
      const result = await graphqlOk<Page>(api.url, PRODUCTS, { filter: { [field]: value } });
      expect(result.products.totalCount).toBe(0);
      expect(result.products.edges).toEqual([]);
      const all = await graphqlOk<Page>(api.url, PRODUCTS, { first: 0 });
      expect(all.products.totalCount).toBe(listed.length);
    });

    it.each([
      ['a garbage cursor', { after: 'garbage!!' }, 'after'],
      ['a cursor of something else', { after: Buffer.from('order:42').toString('base64url') }, 'after'],
      ['first: 1000', { first: 1000 }, 'first'],
      ['first: -1', { first: -1 }, 'first'],
      ['an unreadable price', { filter: { minPrice: 'cheap' } }, 'filter.minPrice'],
      ['a price with too many decimals', { filter: { maxPrice: '9.999' } }, 'filter.maxPrice'],
      ['minPrice above maxPrice', { filter: { minPrice: '50', maxPrice: '10' } }, 'filter.minPrice'],
      ['an overlong search', { filter: { search: 'x'.repeat(201) } }, 'filter.search'],
      ['too many SKUs', { filter: { skus: Array.from({ length: 101 }, (_, i) => `S-${i}`) } }, 'filter.skus'],
    ])('refuses %s with BAD_USER_INPUT naming the argument', async (_label, variables, field) => {
      const result = await graphql(api.url, PRODUCTS, variables);
      expect(result.status).toBe(200);
      expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
      expect(result.errors![0]!.extensions!.field).toBe(field);
    });
  });

  describe('Query.categories', () => {
    const CATEGORIES = `{ categories { id name slug parent { name } children { name children { name } } } }`;

    it('lists all 10 categories, navigable up and down the tree', async () => {
      const { categories } = await graphqlOk(api.url, CATEGORIES);
      expect(categories).toHaveLength(10);
      const byName = new Map(categories.map((c: { name: string }) => [c.name, c]));
      expect(byName.get('T-Shirts')).toMatchObject({ slug: 't-shirts', parent: { name: 'Clothing' }, children: [] });
      expect(byName.get('Clothing')).toMatchObject({
        parent: null,
        children: [{ name: 'T-Shirts' }, { name: 'Hoodies & Sweatshirts' }, { name: 'Jackets' }],
      });
    });

    it('costs one store call however deep the selection goes', async () => {
      api.subgraph.repositoryStats.reset();
      await graphqlOk(api.url, CATEGORIES);
      expect(api.subgraph.repositoryStats.calls).toBe(1);
    });
  });

  it('resolves the categories of a whole page in a fixed number of store calls, not one per product', async () => {
    api.subgraph.repositoryStats.reset();
    await graphqlOk(api.url, `{ products(first: 100) { edges { node { category { name parent { name } } } } } }`);
    // the page, then one batch for the categories, then one for their parents
    expect(api.subgraph.repositoryStats.calls).toBe(3);
  });
});

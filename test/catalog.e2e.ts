import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { errorCodes, eventually, graphql, graphqlOk } from '@shop/testing';
import { ADMIN, startSupergraph, type Supergraph } from './support/supergraph.js';

// Issue 3 through the router: admin catalog writes, reviews stitched with users, search that
// follows the catalog through events, and hostile-looking input treated as text.
let sg: Supergraph;
let adminToken: string;
let customers: string[];

const SEARCH = `query($q: String, $filter: SearchFilter, $after: String, $first: Int) {
  searchProducts(query: $q, filter: $filter, first: $first, after: $after) {
    totalCount nodes { id name sku price { amount } } facets { field values { value count } } pageInfo { hasNextPage endCursor } } }`;

beforeAll(async () => {
  sg = await startSupergraph();
  adminToken = (
    await graphqlOk(sg.url, 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }', { e: ADMIN.email, p: ADMIN.password })
  ).login.accessToken;
  customers = [];
  for (const [i, name] of ['Rita', 'Sam'].entries()) {
    const data = await graphqlOk(sg.url, 'mutation($input: RegisterInput!) { register(input: $input) { accessToken } }', {
      input: { email: `reviewer-${i}@e2e.test`, password: 'a-strong-password-1', name },
    });
    customers.push(data.register.accessToken);
  }
}, 120_000);

afterAll(async () => {
  await sg?.stop();
});

describe('catalog and search through the router', () => {
  let productId: string;

  it('lets an admin create a category and a product, and refuses a customer', async () => {
    const category = await graphqlOk(sg.url, 'mutation { createCategory(name: "Trail Gear") { id slug } }', {}, { token: adminToken });
    const input = {
      sku: 'TRL-LANTERN-1',
      name: 'Glowworm Trail Lantern',
      description: 'A rechargeable lantern for long nights on the trail',
      categoryId: category.createCategory.id,
      basePrice: { amount: '34.90', currencyCode: 'EUR' },
      attributes: { brand: 'Glowworm', color: 'Amber', weightGrams: 320 },
    };
    const refused = await graphql(sg.url, 'mutation($input: ProductInput!) { createProduct(input: $input) { id } }', { input }, { token: customers[0] });
    expect(errorCodes(refused)).toEqual(['FORBIDDEN']);
    const created = await graphqlOk(
      sg.url,
      'mutation($input: ProductInput!) { createProduct(input: $input) { id sku price { amount currencyCode } category { slug } } }',
      { input },
      { token: adminToken },
    );
    productId = created.createProduct.id;
    expect(created.createProduct).toMatchObject({ sku: 'TRL-LANTERN-1', price: { amount: '34.90', currencyCode: 'EUR' }, category: { slug: 'trail-gear' } });

    const duplicate = await graphql(sg.url, 'mutation($input: ProductInput!) { createProduct(input: $input) { id } }', { input }, { token: adminToken });
    expect(errorCodes(duplicate)).toEqual(['CONFLICT']);

    const bySku = await graphqlOk(sg.url, '{ product(sku: "TRL-LANTERN-1") { id name stock { available } } }');
    expect(bySku.product).toEqual({ id: productId, name: 'Glowworm Trail Lantern', stock: { available: 0 } });
  });

  it('averages two reviews to 3.5 and stitches their authors from users', async () => {
    for (const [i, rating] of [4, 3].entries()) {
      await graphqlOk(sg.url, 'mutation($id: ID!, $r: Int!) { addReview(productId: $id, rating: $r, title: "Bright") { id } }', { id: productId, r: rating }, { token: customers[i] });
    }
    const again = await graphql(sg.url, 'mutation($id: ID!) { addReview(productId: $id, rating: 5) { id } }', { id: productId }, { token: customers[0] });
    expect(errorCodes(again)).toEqual(['CONFLICT']);
    const data = await graphqlOk(sg.url, 'query($id: ID!) { product(id: $id) { rating { average count } reviews(first: 10) { edges { node { rating author { name } } } } } }', { id: productId });
    expect(data.product.rating).toEqual({ average: 3.5, count: 2 });
    expect(data.product.reviews.edges.map((e: any) => e.node.author.name).sort()).toEqual(['Rita', 'Sam']);
  });

  it('finds the new product by a word of its name within a second, and forgets it once archived', async () => {
    const found = await eventually(
      async () => (await graphqlOk(sg.url, SEARCH, { q: 'lantern' })).searchProducts,
      (r) => r.nodes.some((n: any) => n.id === productId),
    );
    expect(found.nodes.map((n: any) => n.id)).toContain(productId);
    expect(found.nodes.find((n: any) => n.id === productId).name).toBe('Glowworm Trail Lantern');

    await graphqlOk(sg.url, 'mutation($id: ID!) { archiveProduct(id: $id) { id } }', { id: productId }, { token: adminToken });
    const gone = await eventually(
      async () => (await graphqlOk(sg.url, SEARCH, { q: 'lantern' })).searchProducts,
      (r) => !r.nodes.some((n: any) => n.id === productId),
    );
    expect(gone.nodes.map((n: any) => n.id)).not.toContain(productId);
    const listed = await graphqlOk(sg.url, '{ products(first: 100, filter: { search: "Glowworm" }) { totalCount } }');
    expect(listed.products.totalCount).toBe(0);
  });

  it('holds price filters, counts facets and pages forward without repeats', async () => {
    const filtered = (await graphqlOk(sg.url, SEARCH, { filter: { priceMin: '20.00', priceMax: '40.00' }, first: 100 })).searchProducts;
    expect(filtered.totalCount).toBeGreaterThan(0);
    for (const node of filtered.nodes) {
      expect(Number(node.price.amount)).toBeGreaterThanOrEqual(20);
      expect(Number(node.price.amount)).toBeLessThanOrEqual(40);
    }
    const brands = filtered.facets.find((f: any) => f.field === 'brand');
    expect(brands.values.length).toBeGreaterThan(0);
    expect(brands.values.reduce((sum: number, v: any) => sum + v.count, 0)).toBe(filtered.totalCount);

    const seen: string[] = [];
    let after: string | null = null;
    let total: number;
    do {
      const page: any = (await graphqlOk(sg.url, SEARCH, { first: 40, after })).searchProducts;
      total = page.totalCount;
      seen.push(...page.nodes.map((n: any) => n.id));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBe(total);
  });

  it('treats injection-looking input as text in search and product filters', async () => {
    for (const text of ["'; DROP TABLE products; --", '{"$where": "sleep(1000)"}', '{"$gt": ""}', 'name:* OR 1=1']) {
      const search = await graphql(sg.url, SEARCH, { q: text });
      expect(search.errors).toBeUndefined();
      expect(search.data.searchProducts.totalCount).toBe(0);
      const filter = await graphql(sg.url, 'query($f: ProductFilter) { products(filter: $f, first: 5) { totalCount } }', { f: { search: text, brand: text } });
      expect(filter.errors).toBeUndefined();
      expect(filter.data.products.totalCount).toBe(0);
    }
    const stillThere = await graphqlOk(sg.url, '{ products(first: 1) { totalCount } }');
    expect(stillThere.products.totalCount).toBeGreaterThan(200);
  });
});

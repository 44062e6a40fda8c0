import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createMemoryBus, type EventBus } from '@shop/events';
import { errorCodes, graphql, graphqlOk } from '@shop/testing';
import { generateDemoCatalog } from '../src/seed/demoCatalog.js';
import { recordEvents, startProducts, type RunningProducts } from './harness.js';

const catalog = generateDemoCatalog();
const archived = catalog.products.find((p) => p.archivedAt !== null)!;

const ADD_REVIEW = `
  mutation($productId: ID!, $rating: Int!, $title: String, $body: String) {
    addReview(productId: $productId, rating: $rating, title: $title, body: $body) {
      id rating title body createdAt author { id } product { id sku rating { average count } }
    }
  }`;
const REVIEWS = `
  query($id: ID!, $first: Int, $after: String) {
    product(id: $id) {
      rating { average count }
      reviews(first: $first, after: $after) {
        totalCount pageInfo { hasNextPage endCursor }
        edges { cursor node { id rating title author { id } } }
      }
    }
  }`;
const CREATE_PRODUCT = `mutation($input: ProductInput!) { createProduct(input: $input) { id sku } }`;

describe('reviews and ratings over HTTP', () => {
  let api: RunningProducts;
  let bus: EventBus;
  let recorder: Awaited<ReturnType<typeof recordEvents>>;
  let admin: string;
  const as = (userId: string) => api.token('CUSTOMER', userId);

  /** A product of its own per test group, so counts start at zero. */
  const newProduct = async (sku: string): Promise<{ id: string; sku: string }> =>
    (
      await graphqlOk(
        api.url,
        CREATE_PRODUCT,
        { input: { sku, name: `Reviewed ${sku}`, categoryId: catalog.categories[1]!._id, basePrice: { amount: '10.00', currencyCode: 'EUR' } } },
        { token: admin },
      )
    ).createProduct;

  const review = async (userId: string, productId: string, rating: number, extra: Record<string, unknown> = {}) =>
    graphql(api.url, ADD_REVIEW, { productId, rating, ...extra }, { token: await as(userId) });

  beforeAll(async () => {
    bus = createMemoryBus();
    recorder = await recordEvents(bus);
    api = await startProducts({}, { bus });
    admin = await api.token('ADMIN', 'admin-1');
  });

  afterAll(async () => {
    await api.stop();
    await recorder.stop();
    await bus.close();
  });

  describe('addReview', () => {
    let product: { id: string; sku: string };

    beforeAll(async () => {
      product = await newProduct('REV-0001');
    });

    it('two reviews, 4 and 3, make a rating of 3.5 from 2', async () => {
      const first = await review('alice', product.id, 4, { title: 'Good', body: 'Fits well.' });
      expect(first.errors).toBeUndefined();
      expect(first.data.addReview).toEqual({
        id: expect.stringMatching(/^[0-9a-f]{24}$/),
        rating: 4,
        title: 'Good',
        body: 'Fits well.',
        createdAt: expect.any(String),
        author: { id: 'alice' },
        product: { id: product.id, sku: 'REV-0001', rating: { average: 4, count: 1 } },
      });
      const second = await review('bob', product.id, 3);
      expect(second.data.addReview).toMatchObject({ rating: 3, title: null, body: null, product: { rating: { average: 3.5, count: 2 } } });
      const { product: read } = await graphqlOk(api.url, REVIEWS, { id: product.id });
      expect(read.rating).toEqual({ average: 3.5, count: 2 });
      expect(read.reviews.edges.map((e: { node: { rating: number } }) => e.node.rating)).toEqual([3, 4]);
    });

    it('announces each rating change as product.updated', async () => {
      await recorder.waitFor(() => recorder.about(product.id).length >= 3);
      const events = recorder.about(product.id);
      expect(events.map((e) => e.type)).toEqual(['product.created', 'product.updated', 'product.updated']);
      expect(events.at(-1)).toMatchObject({
        source: 'products',
        key: product.id,
        data: { product: { id: product.id, sku: 'REV-0001', ratingAverage: 3.5, ratingCount: 2 } },
      });
    });

    it('refuses a second review by the same user with CONFLICT, and the rating stays', async () => {
      const again = await review('alice', product.id, 1);
      expect(errorCodes(again)).toEqual(['CONFLICT']);
      expect((await graphqlOk(api.url, REVIEWS, { id: product.id })).product.rating).toEqual({ average: 3.5, count: 2 });
    });

    it('rounds the average to 2 decimals', async () => {
      const other = await newProduct('REV-0002');
      for (const [user, rating] of [['u1', 5], ['u2', 4], ['u3', 4]] as const) expect((await review(user, other.id, rating)).errors).toBeUndefined();
      expect((await graphqlOk(api.url, REVIEWS, { id: other.id })).product.rating).toEqual({ average: 4.33, count: 3 });
    });

    it('keeps every rating when many users review at once', async () => {
      const busy = await newProduct('REV-0003');
      const results = await Promise.all(Array.from({ length: 15 }, (_, i) => review(`crowd-${i}`, busy.id, (i % 5) + 1)));
      expect(results.flatMap(errorCodes)).toEqual([]);
      expect((await graphqlOk(api.url, REVIEWS, { id: busy.id })).product.rating).toEqual({ average: 3, count: 15 });
    });

    it('needs a signed-in caller', async () => {
      const result = await graphql(api.url, ADD_REVIEW, { productId: product.id, rating: 5 });
      expect(errorCodes(result)).toEqual(['UNAUTHENTICATED']);
    });

    it.each([
      ['a rating of 0', { rating: 0 }, 'rating'],
      ['a rating of 6', { rating: 6 }, 'rating'],
      ['a title over 120 characters', { title: 't'.repeat(121) }, 'title'],
      ['a body over 5000 characters', { body: 'b'.repeat(5001) }, 'body'],
      ['a malformed product id', { productId: '{"$gt": ""}' }, 'productId'],
      ['an archived product', { productId: archived._id }, 'productId'],
    ])('refuses %s with BAD_USER_INPUT naming the field', async (_label, variables, field) => {
      const result = await graphql(api.url, ADD_REVIEW, { productId: product.id, rating: 5, ...variables }, { token: await as('carol') });
      expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
      expect(result.errors![0]!.extensions!.field).toBe(field);
      expect((await graphqlOk(api.url, REVIEWS, { id: product.id })).product.rating.count).toBe(2);
    });

    it('accepts a title of exactly 120 and a body of exactly 5000 characters, taking text literally', async () => {
      const result = await review('dave', product.id, 5, { title: `{"$gt": ""}${'t'.repeat(109)}`, body: `'; DROP TABLE reviews; --${'b'.repeat(4975)}` });
      expect(result.errors).toBeUndefined();
      expect(result.data.addReview.title).toHaveLength(120);
      expect(result.data.addReview.title.startsWith('{"$gt": ""}')).toBe(true);
      expect(result.data.addReview.body.startsWith("'; DROP TABLE reviews; --")).toBe(true);
    });

    it('answers NOT_FOUND for a product that does not exist', async () => {
      expect(errorCodes(await review('erin', '64a0ffffffffffffffffffff', 5))).toEqual(['NOT_FOUND']);
    });
  });

  describe('Product.reviews', () => {
    let product: { id: string; sku: string };

    beforeAll(async () => {
      product = await newProduct('REV-0100');
      for (let i = 0; i < 7; i++) expect((await review(`pager-${i}`, product.id, (i % 5) + 1, { title: `#${i}` })).errors).toBeUndefined();
    });

    it('pages forward, newest first, without repeats or skips', async () => {
      const titles: string[] = [];
      let after: string | null = null;
      let pages = 0;
      for (;;) {
        const data: any = await graphqlOk(api.url, REVIEWS, { id: product.id, first: 3, after });
        const connection = data.product.reviews;
        pages += 1;
        expect(connection.totalCount).toBe(7);
        expect(connection.pageInfo.endCursor).toBe(connection.edges.at(-1)?.cursor ?? null);
        titles.push(...connection.edges.map((e: { node: { title: string } }) => e.node.title));
        if (!connection.pageInfo.hasNextPage) break;
        after = connection.pageInfo.endCursor;
      }
      expect(pages).toBe(3);
      expect(titles).toEqual(['#6', '#5', '#4', '#3', '#2', '#1', '#0']);
    });

    it.each([
      ['a cursor we did not issue', { after: 'bm9wZQ' }, 'after'],
      ['a product cursor', { after: Buffer.from('product:64a000000000000000000001').toString('base64url') }, 'after'],
      ['first over 100', { first: 101 }, 'first'],
    ])('refuses %s', async (_label, variables, field) => {
      const result = await graphql(api.url, REVIEWS, { id: product.id, ...variables });
      expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
      expect(result.errors![0]!.extensions!.field).toBe(field);
    });

    it('costs one store call for the reviews of a whole page of products', async () => {
      api.subgraph.repositoryStats.reset();
      const { products } = await graphqlOk(
        api.url,
        `{ products(first: 100) { edges { node { sku reviews(first: 2) { totalCount edges { node { rating author { id } } } } } } } }`,
      );
      // the page, then one call for the reviews of all 100 products
      expect(api.subgraph.repositoryStats.calls).toBe(2);
      expect(products.edges).toHaveLength(100);
    });
  });

  describe('entities', () => {
    it('resolves reviews by id and adds reviews to users', async () => {
      const product = await newProduct('REV-0200');
      const written = (await review('frank', product.id, 2, { title: 'Meh' })).data.addReview;
      const other = await newProduct('REV-0201');
      await review('frank', other.id, 5);

      api.subgraph.repositoryStats.reset();
      const { _entities } = await graphqlOk(
        api.url,
        `query($r: [_Any!]!) { _entities(representations: $r) {
          ... on Review { id rating title product { sku } author { id } }
          ... on User { id reviews(first: 10) { totalCount edges { node { product { sku } } } } }
        } }`,
        {
          r: [
            { __typename: 'Review', id: written.id },
            { __typename: 'Review', id: '64d0ffffffffffffffffffff' },
            { __typename: 'User', id: 'frank' },
            { __typename: 'User', id: 'nobody' },
          ],
        },
      );
      expect(_entities).toEqual([
        { id: written.id, rating: 2, title: 'Meh', product: { sku: 'REV-0200' }, author: { id: 'frank' } },
        null,
        { id: 'frank', reviews: { totalCount: 2, edges: [{ node: { product: { sku: 'REV-0201' } } }, { node: { product: { sku: 'REV-0200' } } }] } },
        { id: 'nobody', reviews: { totalCount: 0, edges: [] } },
      ]);
      // reviews by id, the users' review pages, then the products of all those reviews
      expect(api.subgraph.repositoryStats.calls).toBe(3);
    });
  });
});

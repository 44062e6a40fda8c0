import { beforeAll, describe, expect, it } from '@jest/globals';
import { createLoaders } from '../src/loaders.js';
import type { ProductRepository } from '../src/repository.js';
import { createEmbeddedProductRepository } from '../src/repository/embedded.js';
import { demoCategoryId, demoProductId, generateDemoCatalog } from '../src/seed/demoCatalog.js';
import { pendingEvent } from '../src/events.js';
import { fixtureId, recording } from './fixtures.js';

describe('per-request loaders', () => {
  let store: ProductRepository;

  beforeAll(async () => {
    store = createEmbeddedProductRepository();
    const { categories, products } = generateDemoCatalog();
    await store.insertCategories(categories);
    await store.insertProducts(products);
    for (const [n, productN, minute] of [[1, 1, 1], [2, 1, 2], [3, 2, 3], [4, 1, 4]] as const) {
      await store.insertReview(
        {
          _id: fixtureId('review', n),
          productId: demoProductId(productN),
          userId: `user-${n}`,
          rating: 4,
          title: null,
          body: null,
          createdAt: new Date(Date.UTC(2025, 0, 1, 0, minute)),
        },
        pendingEvent('product.updated', new Date()),
      );
    }
  });

  it('productById: one findByIds for the batch, results in key order, null for missing and malformed ids', async () => {
    const { repository, calls } = recording(store);
    const loaders = createLoaders(repository);
    const missing = demoProductId(9999);
    const keys = [demoProductId(7), demoProductId(3), missing, 'not-an-id', '{"$gt": ""}', demoProductId(100)];
    const results = await Promise.all(keys.map((key) => loaders.productById.load(key)));
    expect(calls).toEqual([{ method: 'findByIds', args: [[demoProductId(7), demoProductId(3), missing, demoProductId(100)]] }]);
    expect(results.map((r) => r?._id ?? null)).toEqual([demoProductId(7), demoProductId(3), null, null, null, demoProductId(100)]);
  });

  it('productById asks nothing of the store when no key can be an id', async () => {
    const { repository, calls } = recording(store);
    const loaders = createLoaders(repository);
    expect(await loaders.productById.loadMany(['x', ''])).toEqual([null, null]);
    expect(calls).toEqual([]);
  });

  it('productBySku: one findBySkus for the batch, in key order, null for missing', async () => {
    const { repository, calls } = recording(store);
    const loaders = createLoaders(repository);
    const results = await Promise.all(['JKT-0002', 'NOPE-0001', 'TSH-0010'].map((sku) => loaders.productBySku.load(sku)));
    expect(calls.map((c) => c.method)).toEqual(['findBySkus']);
    expect(results.map((r) => r?.sku ?? null)).toEqual(['JKT-0002', null, 'TSH-0010']);
  });

  it('a product loaded by SKU is then known by id without another store call, and the other way round', async () => {
    const { repository, calls } = recording(store);
    const loaders = createLoaders(repository);
    const bySku = await loaders.productBySku.load('HOD-0005');
    expect((await loaders.productById.load(bySku!._id))?.sku).toBe('HOD-0005');
    const byId = await loaders.productById.load(demoProductId(1));
    expect((await loaders.productBySku.load(byId!.sku))?._id).toBe(demoProductId(1));
    expect(calls.map((c) => c.method)).toEqual(['findBySkus', 'findByIds']);
  });

  it('categoryById and categoryChildren: one call per batch, in key order', async () => {
    const { repository, calls } = recording(store);
    const loaders = createLoaders(repository);
    const [clothing, missing, books] = await loaders.categoryById.loadMany([demoCategoryId(1), demoCategoryId(99), demoCategoryId(10)]);
    const [clothingChildren, booksChildren] = await loaders.categoryChildren.loadMany([demoCategoryId(1), demoCategoryId(10)]);
    expect(calls.map((c) => c.method)).toEqual(['findCategoriesByIds', 'findCategoriesByParentIds']);
    expect([clothing, missing, books].map((c) => (c && 'name' in c ? c.name : null))).toEqual(['Clothing', null, 'Books']);
    expect(Array.isArray(clothingChildren) && clothingChildren.map((c) => c.name)).toEqual(['T-Shirts', 'Hoodies & Sweatshirts', 'Jackets']);
    expect(booksChildren).toEqual([]);
  });

  it('reviewPage: one findReviewPages for the pages of many products, in key order, empty for none', async () => {
    const { repository, calls } = recording(store);
    const loaders = createLoaders(repository);
    const key = (n: number) => ({ by: 'product' as const, ownerId: demoProductId(n), first: 2, after: null });
    const [one, three, two] = await Promise.all([1, 3, 2].map((n) => loaders.reviewPage.load(key(n))));
    expect(calls).toEqual([{ method: 'findReviewPages', args: [{ by: 'product', ownerIds: [1, 3, 2].map(demoProductId), first: 2 }] }]);
    expect(one!.documents.map((r) => r._id)).toEqual([fixtureId('review', 4), fixtureId('review', 2)]);
    expect([one!.hasNextPage, one!.totalCount]).toEqual([true, 3]);
    expect(three).toEqual({ ownerId: demoProductId(3), documents: [], hasNextPage: false, totalCount: 0 });
    expect(two!.documents.map((r) => r._id)).toEqual([fixtureId('review', 3)]);
  });

  it('reviewPage: pages of different sizes or cursors are separate calls; the same page is asked once', async () => {
    const { repository, calls } = recording(store);
    const loaders = createLoaders(repository);
    const after = { createdAt: new Date(Date.UTC(2025, 0, 1, 0, 4)), id: fixtureId('review', 4) };
    await Promise.all([
      loaders.reviewPage.load({ by: 'product', ownerId: demoProductId(1), first: 1, after: null }),
      loaders.reviewPage.load({ by: 'product', ownerId: demoProductId(1), first: 1, after: null }),
      loaders.reviewPage.load({ by: 'product', ownerId: demoProductId(1), first: 1, after }),
      loaders.reviewPage.load({ by: 'user', ownerId: 'user-1', first: 1, after: null }),
    ]);
    expect(calls.map((c) => (c.args[0] as { by: string; ownerIds: string[] }).ownerIds)).toEqual([[demoProductId(1)], [demoProductId(1)], ['user-1']]);
  });

  it('reviewById: one call, key order, null for missing and malformed ids', async () => {
    const { repository, calls } = recording(store);
    const loaders = createLoaders(repository);
    const found = await loaders.reviewById.loadMany([fixtureId('review', 3), fixtureId('review', 99), 'nope', fixtureId('review', 1)]);
    expect(calls.map((c) => c.method)).toEqual(['findReviewsByIds']);
    expect(found.map((r) => (r && '_id' in r ? r._id : null))).toEqual([fixtureId('review', 3), null, null, fixtureId('review', 1)]);
  });

  it('are separate per request: a new set asks the store again', async () => {
    const { repository, calls } = recording(store);
    await createLoaders(repository).productById.load(demoProductId(1));
    await createLoaders(repository).productById.load(demoProductId(1));
    expect(calls).toHaveLength(2);
  });
});

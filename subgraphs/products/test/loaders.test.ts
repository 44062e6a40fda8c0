import { beforeAll, describe, expect, it } from '@jest/globals';
import { createLoaders } from '../src/loaders.js';
import type { ProductRepository } from '../src/repository.js';
import { createEmbeddedProductRepository } from '../src/repository/embedded.js';
import { demoCategoryId, demoProductId, generateDemoCatalog } from '../src/seed/demoCatalog.js';
import { recording } from './fixtures.js';

describe('per-request loaders', () => {
  let store: ProductRepository;

  beforeAll(async () => {
    store = createEmbeddedProductRepository();
    const { categories, products } = generateDemoCatalog();
    await store.insertCategories(categories);
    await store.insertProducts(products);
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

  it('are separate per request: a new set asks the store again', async () => {
    const { repository, calls } = recording(store);
    await createLoaders(repository).productById.load(demoProductId(1));
    await createLoaders(repository).productById.load(demoProductId(1));
    expect(calls).toHaveLength(2);
  });
});

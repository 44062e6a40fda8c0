import { describe, expect, it } from '@jest/globals';
import { createLogger } from '@shop/subgraph-kit';
import { effectivePrice } from '../src/pricing.js';
import { createEmbeddedProductRepository } from '../src/repository/embedded.js';
import { generateDemoCatalog } from '../src/seed/demoCatalog.js';
import { loadDemoCatalog } from '../src/seed/loadDemoCatalog.js';
import { category } from './fixtures.js';

const logger = createLogger({ service: 'products-test', level: 'silent' });

describe('demo catalog', () => {
  const { categories, products } = generateDemoCatalog();
  const categoryById = new Map(categories.map((c) => [c._id, c]));
  const APPAREL = ['TSH', 'HOD', 'JKT', 'SNK'];

  it('is the same, ids included, every time it is generated', () => {
    expect(generateDemoCatalog()).toEqual({ categories, products });
    // Other subgraphs keep these ids in PostgreSQL: the formula must never change.
    expect(products[0]!._id).toBe('64a000000000000000000001');
    expect(products[209]!._id).toBe('64a0000000000000000000d2');
    expect(categories[0]!._id).toBe('64c000000000000000000001');
  });

  it('has 10 categories forming a tree with nested levels', () => {
    expect(categories).toHaveLength(10);
    const tShirts = categories.find((c) => c.name === 'T-Shirts')!;
    expect(categoryById.get(tShirts.parentId!)!.name).toBe('Clothing');
    for (const c of categories) if (c.parentId !== null) expect(categoryById.has(c.parentId)).toBe(true);
    expect(new Set(categories.map((c) => c.slug)).size).toBe(10);
  });

  it('has at least 200 products with unique ids, SKUs and slugs, each in an existing category', () => {
    expect(products.length).toBeGreaterThanOrEqual(200);
    for (const field of ['_id', 'sku', 'slug'] as const) {
      expect(new Set(products.map((p) => p[field])).size).toBe(products.length);
    }
    for (const p of products) {
      expect(p._id).toMatch(/^[0-9a-f]{24}$/);
      expect(p.sku).toMatch(/^[A-Z]{3}-\d{4}$/);
      expect(categoryById.has(p.categoryId)).toBe(true);
      expect(p.name.length).toBeGreaterThan(5);
      expect(p.description).toEqual(expect.any(String));
      expect(p.attributes.brand).toEqual(expect.any(String));
      expect(p.attributes.weightGrams).toBeGreaterThan(0);
      expect(Number.isSafeInteger(p.basePrice.minor) && p.basePrice.minor > 0).toBe(true);
      expect(p.basePrice.currency).toBe('EUR');
    }
  });

  it('gives each product 1 to 3 images at its SKU URL', () => {
    for (const p of products) {
      expect(p.images.length).toBeGreaterThanOrEqual(1);
      expect(p.images.length).toBeLessThanOrEqual(3);
      p.images.forEach((image, i) => expect(image.url).toBe(`https://images.example.com/products/${p.sku}-${i + 1}.jpg`));
    }
  });

  it('gives apparel 2 to 5 size variants with their own ids and SKUs', () => {
    const apparel = products.filter((p) => APPAREL.includes(p.sku.slice(0, 3)));
    expect(apparel.length).toBeGreaterThanOrEqual(100);
    for (const p of apparel) {
      expect(p.variants.length).toBeGreaterThanOrEqual(2);
      expect(p.variants.length).toBeLessThanOrEqual(5);
      for (const v of p.variants) expect(v.sku).toBe(`${p.sku}-${v.size}`);
    }
    const variantIds = products.flatMap((p) => p.variants.map((v) => v.id));
    expect(new Set(variantIds).size).toBe(variantIds.length);
    expect(variantIds.every((id) => /^[0-9a-f]{24}$/.test(id))).toBe(true);
  });

  it('has products on sale now, products whose sale ended, and a few archived ones', () => {
    const now = new Date();
    const onSale = products.filter((p) => effectivePrice(p, now).minor < p.basePrice.minor);
    const ended = products.filter((p) => p.discount?.endsAt && p.discount.endsAt < now);
    expect(onSale.length).toBeGreaterThanOrEqual(5);
    expect(ended.length).toBeGreaterThanOrEqual(5);
    expect(products.filter((p) => p.archivedAt !== null).length).toBeGreaterThanOrEqual(1);
  });
});

describe('loadDemoCatalog', () => {
  it('fills an empty store', async () => {
    const repository = createEmbeddedProductRepository();
    expect(await loadDemoCatalog(repository, logger)).toBe(true);
    expect(await repository.listCategories()).toHaveLength(10);
    expect(await repository.findBySkus(['TSH-0001', 'BOK-0030'])).toHaveLength(2);
  });

  it('leaves a store that holds anything alone', async () => {
    const repository = createEmbeddedProductRepository();
    await repository.insertCategories([category(1, 'Mine', null)]);
    expect(await loadDemoCatalog(repository, logger)).toBe(false);
    expect((await repository.listCategories()).map((c) => c.name)).toEqual(['Mine']);
  });
});

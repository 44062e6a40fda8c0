import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DuplicateKeyError, type ProductListQuery, type ProductRepository } from '../src/repository.js';
import { describeRepositoryWriteContract } from './contractWrites.js';
import { CATEGORIES, cat, category, daysFromNow, fixtureId, pid, product, type RepositoryFactory } from './fixtures.js';

/**
 * What every ProductRepository adapter must do, written once and run against each adapter:
 * the embedded store always, MongoDB when MONGO_URL is set. Reads here, writes in
 * contractWrites.ts.
 */

const PRODUCTS = [
  product(1, { sku: 'HAT-1', name: 'Wool Hat (L)+', brand: 'Acme', categoryId: cat(2), minor: 1200 }),
  product(2, {
    sku: 'SCF-1',
    name: 'Silk Scarf',
    brand: '{"$gt": ""}',
    categoryId: cat(3),
    minor: 5000,
    discount: { type: 'PERCENTAGE', value: 2000, startsAt: daysFromNow(-1), endsAt: daysFromNow(1) },
  }),
  product(3, {
    sku: 'MUG-1',
    name: 'Blue Mug',
    brand: 'Acme',
    description: 'A mug for tea',
    categoryId: cat(4),
    minor: 2500,
    discount: { type: 'FIXED', value: 1000, startsAt: daysFromNow(-10), endsAt: daysFromNow(-1) },
  }),
  product(4, { sku: 'ARC-1', name: 'Old Hat', brand: 'Acme', categoryId: cat(2), minor: 1500, archived: true }),
  product(5, {
    sku: 'GLV-1',
    name: 'Leather Gloves',
    brand: 'Bolt',
    categoryId: cat(2),
    minor: 3000,
    discount: { type: 'FIXED', value: 5000, startsAt: null, endsAt: null },
  }),
  product(6, { sku: 'USD-1', name: 'Import Hat', brand: 'Bolt', categoryId: cat(2), minor: 1200, currency: 'USD' }),
  ...[7, 8, 9, 10, 11].map((n) => product(n, { sku: `FIL-${n}`, name: `Filler ${n}`, brand: 'Filler', categoryId: cat(4), minor: n * 100 })),
];

const VISIBLE = PRODUCTS.filter((p) => p.archivedAt === null).map((p) => p._id).sort();

export function describeRepositoryContract(name: string, factory: RepositoryFactory): void {
  describe(`ProductRepository contract: ${name}`, () => {
    let repository: ProductRepository;
    let dispose: () => Promise<void>;
    const page = async (query: Partial<ProductListQuery>) =>
      repository.findPage({ first: 100, now: new Date(), ...query });
    const skusOf = (documents: { sku: string }[]) => documents.map((d) => d.sku);

    beforeAll(async () => {
      ({ repository, dispose } = await factory());
      expect(await repository.isEmpty()).toBe(true);
      // Inserted out of id order: listings must come back in id order regardless.
      await repository.insertCategories([...CATEGORIES].reverse());
      await repository.insertProducts([...PRODUCTS].reverse());
    });

    afterAll(async () => {
      await dispose();
    });

    it('is no longer empty once it holds a catalog, and answers a ping', async () => {
      expect(await repository.isEmpty()).toBe(false);
      await expect(repository.ping()).resolves.toBeUndefined();
    });

    it('finds products by id and by SKU, archived ones included, missing ones left out', async () => {
      const byId = await repository.findByIds([pid(4), pid(1), fixtureId('product', 999)]);
      expect(byId.map((d) => d._id).sort()).toEqual([pid(1), pid(4)]);
      const bySku = await repository.findBySkus(['SCF-1', 'ARC-1', 'NOPE-1']);
      expect(skusOf(bySku).sort()).toEqual(['ARC-1', 'SCF-1']);
    });

    it('returns documents as stored, dates as Dates, and copies that callers cannot corrupt', async () => {
      const [scarf] = await repository.findByIds([pid(2)]);
      expect(scarf).toEqual(PRODUCTS[1]);
      expect(scarf!.discount!.startsAt).toBeInstanceOf(Date);
      scarf!.name = 'changed';
      const [again] = await repository.findByIds([pid(2)]);
      expect(again!.name).toBe('Silk Scarf');
    });

    it('refuses a second product with the same SKU or id', async () => {
      const clashSku = product(50, { sku: 'HAT-1', name: 'Clone', categoryId: cat(2), minor: 1 });
      await expect(repository.insertProducts([clashSku])).rejects.toBeInstanceOf(DuplicateKeyError);
      const clashId = { ...PRODUCTS[0]!, sku: 'OTHER-1', slug: 'other-1' };
      await expect(repository.insertProducts([clashId])).rejects.toBeInstanceOf(DuplicateKeyError);
      expect(skusOf(await repository.findByIds([pid(1), pid(50)]))).toEqual(['HAT-1']);
    });

    it('pages through every listed product in id order, without repeats or skips, never the archived', async () => {
      const seen: string[] = [];
      let afterId: string | undefined;
      for (;;) {
        const result = await page({ first: 3, ...(afterId ? { afterId } : {}) });
        expect(result.totalCount).toBe(VISIBLE.length);
        seen.push(...result.documents.map((d) => d._id));
        if (!result.hasNextPage) break;
        afterId = result.documents.at(-1)!._id;
      }
      expect(seen).toEqual(VISIBLE);
    });

    it('with first 0 returns no rows but still the count and whether rows follow', async () => {
      const result = await page({ first: 0 });
      expect(result).toEqual({ documents: [], hasNextPage: true, totalCount: VISIBLE.length });
    });

    it('filters by category ids', async () => {
      const result = await page({ categoryIds: [cat(3), cat(4)] });
      expect(skusOf(result.documents)).toEqual(['SCF-1', 'MUG-1', 'FIL-7', 'FIL-8', 'FIL-9', 'FIL-10', 'FIL-11']);
      expect((await page({ categoryIds: ['not-a-category'] })).totalCount).toBe(0);
    });

    it('matches the brand exactly and literally', async () => {
      expect(skusOf((await page({ brand: 'Acme' })).documents)).toEqual(['HAT-1', 'MUG-1']);
      expect(skusOf((await page({ brand: '{"$gt": ""}' })).documents)).toEqual(['SCF-1']);
      expect((await page({ brand: 'acme' })).totalCount).toBe(0);
    });

    it('searches every word case-insensitively, taking pattern characters literally', async () => {
      expect(skusOf((await page({ searchTerms: ['(l)+'] })).documents)).toEqual(['HAT-1']);
      expect(skusOf((await page({ searchTerms: ['blue', 'TEA'] })).documents)).toEqual(['MUG-1']);
      expect(skusOf((await page({ searchTerms: ['acme'] })).documents)).toEqual(['HAT-1', 'MUG-1']);
      expect((await page({ searchTerms: ['blue', 'hat'] })).totalCount).toBe(0);
      expect((await page({ searchTerms: ['.*'] })).totalCount).toBe(0);
      expect((await page({ searchTerms: ["'; DROP TABLE products; --"] })).totalCount).toBe(0);
    });

    it('filters by SKUs', async () => {
      expect(skusOf((await page({ skus: ['MUG-1', 'HAT-1', 'ARC-1', 'NOPE'] })).documents)).toEqual(['HAT-1', 'MUG-1']);
      expect((await page({ skus: [] })).totalCount).toBe(0);
    });

    it('bounds the price in effect now, in the currency asked for', async () => {
      // Scarf: 50.00 less an active 20 % = 40.00; mug: its 10.00 off has expired, so 25.00.
      const mid = await page({ price: { currency: 'EUR', minMinor: 2500, maxMinor: 4000 } });
      expect(skusOf(mid.documents)).toEqual(['SCF-1', 'MUG-1']);
      // Gloves: 30.00 less 50.00 off is free, never negative.
      expect(skusOf((await page({ price: { currency: 'EUR', maxMinor: 0 } })).documents)).toEqual(['GLV-1']);
      // The 12.00 USD hat is not a 12.00 EUR hat.
      const cheap = await page({ price: { currency: 'EUR', minMinor: 1200, maxMinor: 1200 } });
      expect(skusOf(cheap.documents)).toEqual(['HAT-1']);
    });

    it('combines conditions, and counts the matches of all pages', async () => {
      const result = await page({ brand: 'Filler', price: { currency: 'EUR', minMinor: 800 }, first: 2 });
      expect(skusOf(result.documents)).toEqual(['FIL-8', 'FIL-9']);
      expect(result.hasNextPage).toBe(true);
      expect(result.totalCount).toBe(4);
    });

    it('finds categories by id and by parent, and lists them all in id order', async () => {
      expect((await repository.listCategories()).map((c) => c.name)).toEqual(['Apparel', 'Hats', 'Winter Hats', 'Kitchen']);
      expect((await repository.findCategoriesByIds([cat(3), cat(99)])).map((c) => c.name)).toEqual(['Winter Hats']);
      const children = await repository.findCategoriesByParentIds([cat(1), cat(2), cat(4)]);
      expect(children.map((c) => c.name)).toEqual(['Hats', 'Winter Hats']);
    });

    it('refuses a second category with the same slug', async () => {
      await expect(repository.insertCategories([{ ...category(9, 'Hats', null) }])).rejects.toBeInstanceOf(DuplicateKeyError);
    });
  });

  describeRepositoryWriteContract(name, factory);
}

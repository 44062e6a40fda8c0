import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  DuplicateKeyError,
  type PendingEvent,
  type ProductEventType,
  type ProductListQuery,
  type ProductRepository,
  type ReviewDocument,
} from '../src/repository.js';
import { category, daysFromNow, fixtureId, product } from './fixtures.js';

/**
 * What every ProductRepository adapter must do, written once and run against each adapter:
 * the embedded store always, MongoDB when MONGO_URL is set. The factory gives a fresh, empty
 * store and a way to dispose of it.
 */
export type RepositoryFactory = () => Promise<{ repository: ProductRepository; dispose: () => Promise<void> }>;

const cat = (n: number) => fixtureId('category', n);
const pid = (n: number) => fixtureId('product', n);

const CATEGORIES = [category(1, 'Apparel', null), category(2, 'Hats', 1), category(3, 'Winter Hats', 2), category(4, 'Kitchen', null)];

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

  describe(`ProductRepository contract, writes: ${name}`, () => {
    let repository: ProductRepository;
    let dispose: () => Promise<void>;
    let seq = 0;
    const event = (type: ProductEventType): PendingEvent => ({
      id: `00000000-0000-4000-8000-${String((seq += 1)).padStart(12, '0')}`,
      type,
      occurredAt: new Date(Date.UTC(2025, 0, 1, 0, 0, seq)),
    });
    const review = (n: number, productN: number, userId: string, rating: number, minute: number): ReviewDocument => ({
      _id: fixtureId('review', n),
      productId: pid(productN),
      userId,
      rating,
      title: `Review ${n}`,
      body: null,
      createdAt: new Date(Date.UTC(2025, 1, 1, 12, minute)),
    });
    const reload = async (n: number) => (await repository.findByIds([pid(n)]))[0]!;

    beforeAll(async () => {
      ({ repository, dispose } = await factory());
      await repository.insertCategories(CATEGORIES);
      await repository.insertProducts([
        product(1, { sku: 'W-1', name: 'Writable', brand: 'Acme', categoryId: cat(2), minor: 1000 }),
        product(2, { sku: 'W-2', name: 'Archivable', categoryId: cat(2), minor: 1000 }),
        product(3, { sku: 'W-3', name: 'Reviewed', categoryId: cat(2), minor: 1000 }),
        product(4, { sku: 'W-4', name: 'Also reviewed', categoryId: cat(2), minor: 1000 }),
        product(5, { sku: 'W-5', name: 'Gone', categoryId: cat(2), minor: 1000, archived: true }),
        product(6, { sku: 'W-6', name: 'Popular', categoryId: cat(2), minor: 1000 }),
      ]);
    });

    afterAll(async () => {
      await dispose();
    });

    it('keeps events written with a product until they are removed, and never returns them from reads', async () => {
      const created = event('product.created');
      await repository.insertProducts([{ ...product(10, { sku: 'EV-1', name: 'Announced', categoryId: cat(2), minor: 500 }), pendingEvents: [created] }]);
      const [read] = await repository.findByIds([pid(10)]);
      expect(read).not.toHaveProperty('pendingEvents');
      expect((await repository.findBySkus(['EV-1']))[0]).not.toHaveProperty('pendingEvents');
      expect((await repository.findPage({ first: 100, now: new Date(), skus: ['EV-1'] })).documents[0]).not.toHaveProperty('pendingEvents');

      const waiting = await repository.findPendingEvents(100);
      expect(waiting).toEqual([{ product: read, events: [created] }]);

      const updated = event('product.updated');
      await repository.updateProduct(pid(10), { name: 'Announced again' }, new Date(), updated);
      expect((await repository.findPendingEvents(100))[0]!.events).toEqual([created, updated]);
      // Removing the published one leaves the one recorded meanwhile.
      await repository.removePendingEvents([{ productId: pid(10), eventIds: [created.id] }]);
      expect((await repository.findPendingEvents(100))[0]!.events).toEqual([updated]);
      await repository.removePendingEvents([{ productId: pid(10), eventIds: [updated.id] }]);
      expect(await repository.findPendingEvents(100)).toEqual([]);
    });

    it('updates only the given fields, attributes and SEO texts one by one, with the event in the same write', async () => {
      const at = new Date('2025-02-02T10:00:00Z');
      const before = await reload(1);
      const updated = await repository.updateProduct(
        pid(1),
        { name: 'Renamed', description: null, attributes: { color: 'Red' }, seo: { title: 'SEO title' } },
        at,
        event('product.updated'),
      );
      expect(updated).toEqual({
        ...before,
        name: 'Renamed',
        description: null,
        attributes: { ...before.attributes, color: 'Red' },
        seo: { title: 'SEO title', description: null },
        updatedAt: at,
      });
      expect(await reload(1)).toEqual(updated);
      expect((await repository.findPendingEvents(100)).map((w) => [w.product._id, w.events.map((e) => e.type)])).toEqual([
        [pid(1), ['product.updated']],
      ]);
      await repository.removePendingEvents([{ productId: pid(1), eventIds: (await repository.findPendingEvents(100))[0]!.events.map((e) => e.id) }]);
    });

    it('stores text that looks like an operator or SQL as the text it is', async () => {
      const name = '{"$gt": ""}';
      const description = "'; DROP TABLE products; --";
      const updated = await repository.updateProduct(
        pid(1),
        { name, description, attributes: { brand: '{"$where": "sleep(1000)"}' } },
        new Date(),
        event('product.updated'),
      );
      expect(updated).toMatchObject({ name, description, attributes: { brand: '{"$where": "sleep(1000)"}' } });
      expect((await reload(1)).name).toBe(name);
      expect((await repository.findPage({ first: 10, now: new Date(), brand: '{"$where": "sleep(1000)"}' })).documents.map((d) => d._id)).toEqual([pid(1)]);
    });

    it('neither updates nor archives an unknown or archived product', async () => {
      expect(await repository.updateProduct(fixtureId('product', 999), { name: 'x' }, new Date(), event('product.updated'))).toBeNull();
      const gone = await reload(5);
      expect(await repository.updateProduct(pid(5), { name: 'x' }, new Date(), event('product.updated'))).toBeNull();
      expect(await repository.archiveProduct(pid(5), new Date(), event('product.archived'))).toBeNull();
      expect(await reload(5)).toEqual(gone);
      expect((await repository.findPendingEvents(100)).map((w) => w.product._id)).not.toContain(pid(5));
    });

    it('archives once: hidden from listings, still found by id and SKU', async () => {
      const at = new Date('2025-03-03T00:00:00Z');
      const archived = await repository.archiveProduct(pid(2), at, event('product.archived'));
      expect(archived).toMatchObject({ _id: pid(2), archivedAt: at, updatedAt: at });
      expect(await repository.archiveProduct(pid(2), new Date(), event('product.archived'))).toBeNull();
      expect((await repository.findPage({ first: 100, now: new Date(), skus: ['W-2'] })).totalCount).toBe(0);
      expect((await repository.findBySkus(['W-2']))[0]!.archivedAt).toEqual(at);
    });

    it('refuses a duplicate SKU, naming the index, even when creates race', async () => {
      const attempts = await Promise.allSettled(
        [20, 21, 22, 23, 24].map((n) => repository.insertProducts([product(n, { sku: 'RACE-1', name: `Racer ${n}`, categoryId: cat(2), minor: 100 })])),
      );
      expect(attempts.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
      for (const attempt of attempts.filter((a): a is PromiseRejectedResult => a.status === 'rejected')) {
        expect(attempt.reason).toBeInstanceOf(DuplicateKeyError);
        expect((attempt.reason as DuplicateKeyError).index).toBe('sku_unique');
      }
      expect(await repository.findBySkus(['RACE-1'])).toHaveLength(1);
      const sameSlug = { ...product(30, { sku: 'SLUG-1', name: 'Slug', categoryId: cat(2), minor: 1 }), slug: 'w-1' };
      await expect(repository.insertProducts([sameSlug])).rejects.toMatchObject({ index: 'slug_unique' });
    });

    it('counts reviews into the rating with the event, one review per user and product', async () => {
      const first = await repository.insertReview(review(1, 3, 'user-a', 4, 0), event('product.updated'));
      expect(first!.ratingSummary).toEqual({ count: 1, sum: 4 });
      const second = await repository.insertReview(review(2, 3, 'user-b', 3, 1), event('product.updated'));
      expect(second!.ratingSummary).toEqual({ count: 2, sum: 7 });
      expect(second!.updatedAt).toEqual(review(2, 3, 'user-b', 3, 1).createdAt);

      const again = repository.insertReview({ ...review(3, 3, 'user-a', 1, 2) }, event('product.updated'));
      await expect(again).rejects.toMatchObject({ name: 'DuplicateKeyError', index: 'one_review_per_user_and_product' });
      expect((await reload(3)).ratingSummary).toEqual({ count: 2, sum: 7 });
      expect(await repository.findReviewsByIds([fixtureId('review', 3)])).toEqual([]);

      const waiting = (await repository.findPendingEvents(100)).find((w) => w.product._id === pid(3))!;
      expect(waiting.events.map((e) => e.type)).toEqual(['product.updated', 'product.updated']);
      expect(waiting.product.ratingSummary).toEqual({ count: 2, sum: 7 });
    });

    it('takes a review back when the product is archived or unknown', async () => {
      expect(await repository.insertReview(review(4, 5, 'user-a', 5, 3), event('product.updated'))).toBeNull();
      expect(await repository.insertReview(review(5, 999, 'user-a', 5, 3), event('product.updated'))).toBeNull();
      expect(await repository.findReviewsByIds([fixtureId('review', 4), fixtureId('review', 5)])).toEqual([]);
      expect((await reload(5)).ratingSummary).toEqual({ count: 0, sum: 0 });
    });

    it('loses no rating when many users review at once', async () => {
      const reviews = Array.from({ length: 12 }, (_, i) => review(100 + i, 6, `crowd-${i}`, (i % 5) + 1, 10 + i));
      await Promise.all(reviews.map((r) => repository.insertReview(r, event('product.updated'))));
      expect((await reload(6)).ratingSummary).toEqual({ count: 12, sum: reviews.reduce((sum, r) => sum + r.rating, 0) });
    });

    it('pages the reviews of many products in one call, newest first, each with its own count', async () => {
      await repository.insertReview(review(6, 4, 'user-a', 2, 30), event('product.updated'));
      const [reviewed, also, none] = await repository.findReviewPages({ by: 'product', ownerIds: [pid(3), pid(4), pid(1)], first: 1 });
      expect(reviewed).toEqual({ ownerId: pid(3), documents: [review(2, 3, 'user-b', 3, 1)], hasNextPage: true, totalCount: 2 });
      expect(also).toEqual({ ownerId: pid(4), documents: [review(6, 4, 'user-a', 2, 30)], hasNextPage: false, totalCount: 1 });
      expect(none).toEqual({ ownerId: pid(1), documents: [], hasNextPage: false, totalCount: 0 });

      const after = { createdAt: review(2, 3, 'user-b', 3, 1).createdAt, id: fixtureId('review', 2) };
      const [rest] = await repository.findReviewPages({ by: 'product', ownerIds: [pid(3)], first: 1, after });
      expect(rest).toEqual({ ownerId: pid(3), documents: [review(1, 3, 'user-a', 4, 0)], hasNextPage: false, totalCount: 2 });
    });

    it('orders reviews written in the same millisecond by id, so paging never repeats or skips one', async () => {
      const same = new Date(Date.UTC(2025, 5, 1));
      const tied = [7, 8, 9].map((n) => ({ ...review(n, 4, `tie-${n}`, 5, 0), createdAt: same }));
      for (const r of tied) await repository.insertReview(r, event('product.updated'));
      const seen: string[] = [];
      let after: { createdAt: Date; id: string } | undefined;
      for (;;) {
        const [page] = await repository.findReviewPages({ by: 'product', ownerIds: [pid(4)], first: 2, ...(after ? { after } : {}) });
        seen.push(...page!.documents.map((d) => d._id));
        if (!page!.hasNextPage) break;
        const last = page!.documents.at(-1)!;
        after = { createdAt: last.createdAt, id: last._id };
      }
      expect(seen).toEqual([fixtureId('review', 9), fixtureId('review', 8), fixtureId('review', 7), fixtureId('review', 6)]);
    });

    it("pages a user's reviews across products", async () => {
      const [a, nobody] = await repository.findReviewPages({ by: 'user', ownerIds: ['user-a', 'nobody'], first: 10 });
      expect(a!.documents.map((d) => d._id)).toEqual([fixtureId('review', 6), fixtureId('review', 1)]);
      expect(a!.totalCount).toBe(2);
      expect(nobody).toEqual({ ownerId: 'nobody', documents: [], hasNextPage: false, totalCount: 0 });
    });

    it("erases the title and body of a deleted user's reviews, keeping their ratings and everyone else's words", async () => {
      await repository.insertReview({ ...review(20, 4, 'user-gone', 5, 40), body: 'Mine, by Gone' }, event('product.updated'));
      const before = (await reload(4)).ratingSummary;
      await repository.eraseReviewTexts('user-gone');
      const [gone, a] = await repository.findReviewPages({ by: 'user', ownerIds: ['user-gone', 'user-a'], first: 10 });
      expect(gone!.documents.map((d) => [d.rating, d.title, d.body])).toEqual([[5, null, null]]);
      expect(a!.documents.every((d) => d.title !== null)).toBe(true);
      expect((await reload(4)).ratingSummary).toEqual(before);
      // A second erasure (a redelivered event) finds nothing more to do.
      await repository.eraseReviewTexts('user-gone');
      expect((await repository.findReviewPages({ by: 'user', ownerIds: ['user-gone'], first: 10 }))[0]!.totalCount).toBe(1);
    });

    it('keeps one exchange rate per direction, replacing it when set again', async () => {
      const at = new Date(Date.UTC(2025, 2, 1));
      await repository.setExchangeRate({ _id: 'EUR:JPY', from: 'EUR', to: 'JPY', rate: '160', updatedAt: at });
      await repository.setExchangeRate({ _id: 'EUR:CHF', from: 'EUR', to: 'CHF', rate: '0.95', updatedAt: at });
      await repository.setExchangeRate({ _id: 'EUR:JPY', from: 'EUR', to: 'JPY', rate: '161.5', updatedAt: at });
      expect(await repository.listExchangeRates()).toEqual([
        { _id: 'EUR:CHF', from: 'EUR', to: 'CHF', rate: '0.95', updatedAt: at },
        { _id: 'EUR:JPY', from: 'EUR', to: 'JPY', rate: '161.5', updatedAt: at },
      ]);
    });

    it('announces every listed product in a currency (a rate changed), the archived and others left alone', async () => {
      await repository.removePendingEvents((await repository.findPendingEvents(100)).map(({ product, events }) => ({ productId: product._id, eventIds: events.map((e) => e.id) })));
      const eventFor = (productId: string): PendingEvent => ({ ...event('product.updated'), id: `rate-${productId}` });
      const count = await repository.announceProductsIn(['EUR', 'JPY'], eventFor);
      expect(await repository.announceProductsIn(['CHF'], eventFor)).toBe(0);
      const announced = (await repository.findPendingEvents(100)).map(({ product, events }) => [product._id, events.map((e) => e.id)]);
      expect(announced).toHaveLength(count);
      // Whichever racer won its SKU is announced too; 2 and 5 are archived.
      expect(announced).toEqual(expect.arrayContaining([1, 3, 4, 6, 10].map((n) => [pid(n), [`rate-${pid(n)}`]])));
      expect(announced.map(([id]) => id)).not.toEqual(expect.arrayContaining([pid(2)]));
      expect(announced.map(([id]) => id)).not.toEqual(expect.arrayContaining([pid(5)]));
    });

    it('sets fixed prices currency by currency, keeping the others', async () => {
      await repository.updateProduct(pid(1), { prices: { USD: 1300 } }, new Date(), event('product.updated'));
      const both = await repository.updateProduct(pid(1), { prices: { JPY: 1900 } }, new Date(), event('product.updated'));
      expect(both!.prices).toEqual({ USD: 1300, JPY: 1900 });
    });

    it('finds reviews by id, missing ones left out', async () => {
      const found = await repository.findReviewsByIds([fixtureId('review', 1), fixtureId('review', 404)]);
      expect(found).toEqual([review(1, 3, 'user-a', 4, 0)]);
    });
  });
}

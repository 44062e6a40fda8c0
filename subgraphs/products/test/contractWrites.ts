import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DuplicateKeyError, type PendingEvent, type ProductEventType, type ProductRepository, type ReviewDocument } from '../src/repository.js';
import { CATEGORIES, cat, fixtureId, pid, product, type RepositoryFactory } from './fixtures.js';

/** The ProductRepository contract's writes (products, archiving, reviews, outbox events), on a store of its own. */
export function describeRepositoryWriteContract(name: string, factory: RepositoryFactory): void {
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

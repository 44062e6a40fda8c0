import { describe, expect, it } from '@jest/globals';
import { aggregate } from 'mingo';
import { effectivePrice } from '../src/pricing.js';
import type { DiscountDocument } from '../src/repository.js';
import {
  PRODUCT_INDEXES,
  PRODUCT_PROJECTION,
  REVIEW_INDEXES,
  SEARCH_FIELDS,
  archiveUpdate,
  effectivePriceExpression,
  escapeRegex,
  listedProductFilter,
  pendingEventsFilter,
  productChangesUpdate,
  productListFilter,
  productListPlan,
  ratingUpdate,
  removePendingEventsUpdate,
  reviewCountsPipeline,
  reviewPagesPipeline,
  toProductPage,
  toReviewPages,
} from '../src/repository/queries.js';
import type { PendingEvent, ReviewDocument } from '../src/repository.js';
import { fixtureId, product } from './fixtures.js';

const NOW = new Date('2025-03-01T12:00:00Z');
const base = { first: 20, now: NOW };

describe('productListFilter', () => {
  it('always leaves archived products out', () => {
    expect(productListFilter(base)).toEqual({ $and: [{ archivedAt: null }] });
  });

  it('compares the brand with $eq, so object-looking text stays a string', () => {
    const filter = productListFilter({ ...base, brand: '{"$gt": ""}' });
    expect(filter.$and).toContainEqual({ 'attributes.brand': { $eq: '{"$gt": ""}' } });
  });

  it('lists categories and SKUs with $in, copying the arrays it was given', () => {
    const skus = ['A-1'];
    const filter = productListFilter({ ...base, categoryIds: ['c1', 'c2'], skus });
    expect(filter.$and).toContainEqual({ categoryId: { $in: ['c1', 'c2'] } });
    const clause = (filter.$and as { sku?: { $in: string[] } }[]).find((c) => c.sku)!;
    expect(clause.sku!.$in).toEqual(['A-1']);
    expect(clause.sku!.$in).not.toBe(skus);
  });

  it('turns each search word into a case-insensitive, escaped match over the searchable fields', () => {
    const filter = productListFilter({ ...base, searchTerms: ['red', 'a.b*'] });
    const clauses = (filter.$and as object[]).slice(1);
    expect(clauses).toEqual([
      { $or: SEARCH_FIELDS.map((field) => ({ [field]: { $regex: 'red', $options: 'i' } })) },
      { $or: SEARCH_FIELDS.map((field) => ({ [field]: { $regex: 'a\\.b\\*', $options: 'i' } })) },
    ]);
  });

  it('bounds the effective price in the given currency', () => {
    const filter = productListFilter({ ...base, price: { currency: 'EUR', minMinor: 100, maxMinor: 900 } });
    const price = effectivePriceExpression(NOW);
    expect(filter.$and).toEqual([
      { archivedAt: null },
      { 'basePrice.currency': { $eq: 'EUR' } },
      { $expr: { $and: [{ $gte: [price, 100] }, { $lte: [price, 900] }] } },
    ]);
  });
});

describe('productListPlan', () => {
  it('sorts by _id, asks one row more than the page, and counts without the cursor', () => {
    const plan = productListPlan({ ...base, first: 5, brand: 'Acme', afterId: '64a000000000000000000009' });
    expect(plan.sort).toEqual({ _id: 1 });
    expect(plan.limit).toBe(6);
    expect(plan.countFilter).toEqual(productListFilter({ ...base, brand: 'Acme' }));
    expect(plan.filter).toEqual({
      $and: [...(plan.countFilter.$and as object[]), { _id: { $gt: '64a000000000000000000009' } }],
    });
  });

  it('never asks for limit 0, which MongoDB would read as "no limit"', () => {
    expect(productListPlan({ ...base, first: 0 }).limit).toBe(1);
  });
});

describe('toProductPage', () => {
  it('drops the extra row and reports that another page follows', () => {
    const rows = [1, 2, 3].map((n) => product(n, { sku: `S-${n}`, name: 'x', categoryId: 'c', minor: 1 }));
    expect(toProductPage(rows, 2, 10)).toEqual({ documents: rows.slice(0, 2), hasNextPage: true, totalCount: 10 });
    expect(toProductPage(rows, 3, 3)).toEqual({ documents: rows, hasNextPage: false, totalCount: 3 });
  });
});

describe('escapeRegex', () => {
  it('makes pattern characters match themselves only', () => {
    const text = 'a.c (1)+[x]{2} ^$ | \\ / ? *';
    const pattern = new RegExp(escapeRegex(text));
    expect(pattern.test(text)).toBe(true);
    expect(pattern.test('abc 11x ')).toBe(false);
    expect(new RegExp(escapeRegex('.*')).test('anything')).toBe(false);
  });
});

describe('indexes', () => {
  it('make SKUs and slugs unique', () => {
    const unique = PRODUCT_INDEXES.filter((index) => index.unique).map((index) => Object.keys(index.key));
    expect(unique).toEqual([['sku'], ['slug']]);
  });

  it('find pending events through a sparse index, so only products with events waiting are in it', () => {
    expect(PRODUCT_INDEXES).toContainEqual({ key: { 'pendingEvents.id': 1 }, name: 'pending_events', sparse: true });
    expect(pendingEventsFilter()).toEqual({ 'pendingEvents.id': { $exists: true } });
  });

  it('allow one review per user and product, and page reviews per product and per user newest first', () => {
    expect(REVIEW_INDEXES.filter((index) => index.unique)).toEqual([
      { key: { productId: 1, userId: 1 }, name: 'one_review_per_user_and_product', unique: true },
    ]);
    expect(REVIEW_INDEXES.map((index) => index.key)).toEqual(
      expect.arrayContaining([
        { productId: 1, createdAt: -1, _id: -1 },
        { userId: 1, createdAt: -1, _id: -1 },
      ]),
    );
  });
});

describe('product writes', () => {
  const AT = new Date('2025-04-01T00:00:00Z');
  const EVENT: PendingEvent = { id: 'e-1', type: 'product.updated', occurredAt: AT };

  it('only ever target a listed product, by an id compared with $eq', () => {
    expect(listedProductFilter('{"$gt": ""}')).toEqual({ _id: { $eq: '{"$gt": ""}' }, archivedAt: null });
  });

  it('set the given top-level fields, attributes and SEO texts field by field, and append the event', () => {
    const update = productChangesUpdate(
      { name: '{"$gt": ""}', description: null, attributes: { brand: 'Acme', weightGrams: null }, seo: { title: 'T' }, variants: [] },
      AT,
      EVENT,
    );
    expect(update).toEqual({
      $set: {
        name: '{"$gt": ""}',
        description: null,
        'attributes.brand': 'Acme',
        'attributes.weightGrams': null,
        'seo.title': 'T',
        variants: [],
        updatedAt: AT,
      },
      $push: { pendingEvents: EVENT },
    });
  });

  it('leave out fields that were not given', () => {
    expect(productChangesUpdate({ name: undefined, attributes: { color: undefined } }, AT, EVENT).$set).toEqual({ updatedAt: AT });
  });

  it('archive by setting archivedAt, with the event', () => {
    expect(archiveUpdate(AT, { ...EVENT, type: 'product.archived' })).toEqual({
      $set: { archivedAt: AT, updatedAt: AT },
      $push: { pendingEvents: { ...EVENT, type: 'product.archived' } },
    });
  });

  it('count a rating with an atomic increment, never a computed value', () => {
    expect(ratingUpdate(4, AT, EVENT)).toEqual({
      $inc: { 'ratingSummary.count': 1, 'ratingSummary.sum': 4 },
      $set: { updatedAt: AT },
      $push: { pendingEvents: EVENT },
    });
  });

  it('remove published events by id only', () => {
    expect(removePendingEventsUpdate(['a', 'b'])).toEqual({ $pull: { pendingEvents: { id: { $in: ['a', 'b'] } } } });
  });

  it('never let reads return the outbox', () => {
    expect(PRODUCT_PROJECTION).toEqual({ pendingEvents: 0 });
  });
});

describe('review pages', () => {
  const p1 = fixtureId('product', 1);
  const p2 = fixtureId('product', 2);
  const minute = (m: number) => new Date(Date.UTC(2025, 0, 1, 0, m));
  const review = (n: number, productId: string, m: number): ReviewDocument => ({
    _id: fixtureId('review', n),
    productId,
    userId: `u${n}`,
    rating: 5,
    title: null,
    body: null,
    createdAt: minute(m),
  });
  const reviews = [review(1, p1, 1), review(2, p1, 2), review(3, p1, 3), review(4, p2, 4), review(5, p2, 1)];

  it('number each owner newest first and keep one more than the page', () => {
    const pipeline = reviewPagesPipeline({ by: 'product', ownerIds: [p1, p2], first: 1 });
    expect(pipeline[0]).toEqual({ $match: { $and: [{ productId: { $in: [p1, p2] } }] } });
    expect(pipeline[1]).toEqual({
      $setWindowFields: { partitionBy: '$productId', sortBy: { createdAt: -1, _id: -1 }, output: { pagePosition: { $documentNumber: {} } } },
    });
    expect(pipeline[2]).toEqual({ $match: { pagePosition: { $lte: 2 } } });
    const rows = aggregate(reviews, pipeline) as unknown as ReviewDocument[];
    // Two per owner (page of 1 plus the look-ahead row), owners in id order, newest first.
    expect(rows.map((r) => r._id)).toEqual([3, 2, 4, 5].map((n) => fixtureId('review', n)));
  });

  it('continue strictly after the cursor, ties broken by id', () => {
    const after = { createdAt: minute(2), id: fixtureId('review', 2) };
    const pipeline = reviewPagesPipeline({ by: 'user', ownerIds: ['u1'], first: 5, after });
    expect(pipeline[0]).toEqual({
      $match: {
        $and: [
          { userId: { $in: ['u1'] } },
          { $or: [{ createdAt: { $lt: after.createdAt } }, { createdAt: { $eq: after.createdAt }, _id: { $lt: after.id } }] },
        ],
      },
    });
  });

  it('split rows into pages in owner order, with counts from the count pipeline', () => {
    const query = { by: 'product' as const, ownerIds: [p2, p1, 'none'], first: 1 };
    const rows = aggregate(reviews, reviewPagesPipeline(query)) as unknown as ReviewDocument[];
    const counts = aggregate(reviews, reviewCountsPipeline(query)) as { _id: string; count: number }[];
    expect(toReviewPages(query, rows, counts)).toEqual([
      { ownerId: p2, documents: [review(4, p2, 4)], hasNextPage: true, totalCount: 2 },
      { ownerId: p1, documents: [review(3, p1, 3)], hasNextPage: true, totalCount: 3 },
      { ownerId: 'none', documents: [], hasNextPage: false, totalCount: 0 },
    ]);
  });
});

describe('effectivePriceExpression', () => {
  const DAY = 86_400_000;
  const at = (offsetDays: number) => new Date(NOW.getTime() + offsetDays * DAY);
  const discounts: (DiscountDocument | null)[] = [
    null,
    { type: 'PERCENTAGE', value: 2000, startsAt: null, endsAt: null },
    { type: 'PERCENTAGE', value: 2500, startsAt: at(-1), endsAt: at(1) },
    { type: 'PERCENTAGE', value: 3333, startsAt: NOW, endsAt: null },
    { type: 'PERCENTAGE', value: 1000, startsAt: at(-5), endsAt: NOW },
    { type: 'PERCENTAGE', value: 5000, startsAt: at(1), endsAt: null },
    { type: 'PERCENTAGE', value: 10000, startsAt: null, endsAt: at(1) },
    { type: 'FIXED', value: 500, startsAt: at(-1), endsAt: null },
    { type: 'FIXED', value: 99_999, startsAt: null, endsAt: null },
    { type: 'FIXED', value: 500, startsAt: null, endsAt: at(-1) },
  ];
  const prices = [0, 1, 5, 99, 1999, 3790, 12345, 99_999_999];

  it('computes, as MongoDB would evaluate it, the same price as pricing.ts for every case', () => {
    let n = 0;
    const documents = discounts.flatMap((discount) =>
      prices.map((minor) => ({ ...product((n += 1), { sku: `P-${n}`, name: 'p', categoryId: 'c', minor, discount }) })),
    );
    const evaluated = aggregate(documents, [{ $project: { _id: 1, price: effectivePriceExpression(NOW) } }]) as {
      _id: string;
      price: number;
    }[];
    expect(evaluated).toHaveLength(documents.length);
    for (const row of evaluated) {
      const document = documents.find((d) => d._id === row._id)!;
      expect({ sku: document.sku, price: row.price }).toEqual({ sku: document.sku, price: effectivePrice(document, NOW).minor });
    }
  });
});

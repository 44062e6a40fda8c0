import { describe, expect, it } from '@jest/globals';
import { aggregate } from 'mingo';
import { effectivePrice } from '../src/pricing.js';
import type { DiscountDocument } from '../src/repository.js';
import {
  PRODUCT_INDEXES,
  SEARCH_FIELDS,
  effectivePriceExpression,
  escapeRegex,
  productListFilter,
  productListPlan,
  toProductPage,
} from '../src/repository/queries.js';
import { product } from './fixtures.js';

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

describe('PRODUCT_INDEXES', () => {
  it('makes SKUs and slugs unique', () => {
    const unique = PRODUCT_INDEXES.filter((index) => index.unique).map((index) => Object.keys(index.key));
    expect(unique).toEqual([['sku'], ['slug']]);
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

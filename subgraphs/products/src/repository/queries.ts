import type { Document, IndexDescription } from 'mongodb';
import type { ProductDocument, ProductListQuery, ProductPage } from '../repository.js';

/**
 * Pure translation of repository requests into MongoDB filter documents, sort and limit.
 * Both adapters execute exactly what these functions return, so the embedded store answers as
 * MongoDB would. Every user-supplied value lands in an operator position that takes it as a
 * literal (`$eq`, `$in`, an escaped `$regex`), never as a key or as an operator.
 */

/** `_id` is unique and immutable, so paging on it never repeats or skips a product. */
export const PRODUCT_SORT = { _id: 1 } as const;
export const CATEGORY_SORT = { _id: 1 } as const;

/** Fields searched by `ProductFilter.search`. */
export const SEARCH_FIELDS = ['name', 'description', 'sku', 'attributes.brand', 'attributes.color'] as const;

export const PRODUCT_INDEXES: IndexDescription[] = [
  { key: { sku: 1 }, name: 'sku_unique', unique: true },
  { key: { slug: 1 }, name: 'slug_unique', unique: true },
  { key: { archivedAt: 1, categoryId: 1, _id: 1 }, name: 'listing_by_category' },
  { key: { archivedAt: 1, 'attributes.brand': 1, _id: 1 }, name: 'listing_by_brand' },
];

export const CATEGORY_INDEXES: IndexDescription[] = [
  { key: { slug: 1 }, name: 'slug_unique', unique: true },
  { key: { parentId: 1, _id: 1 }, name: 'children' },
];

export interface FindPlan {
  filter: Document;
  sort: Record<string, 1 | -1>;
  limit: number;
}

export interface ProductListPlan extends FindPlan {
  /** The same conditions without the cursor: what `totalCount` counts. */
  countFilter: Document;
}

export function productsByIdsFilter(ids: readonly string[]): Document {
  return { _id: { $in: [...ids] } };
}

export function productsBySkusFilter(skus: readonly string[]): Document {
  return { sku: { $in: [...skus] } };
}

export function categoriesByIdsFilter(ids: readonly string[]): Document {
  return { _id: { $in: [...ids] } };
}

export function categoriesByParentIdsFilter(parentIds: readonly string[]): Document {
  return { parentId: { $in: [...parentIds] } };
}

/** Makes text match itself, character for character, inside a regular expression. */
export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/**
 * The price a product sells for at `now`, as an aggregation expression: the rules of
 * `pricing.ts` (`applyDiscount`), including its half-up rounding of percentages.
 */
export function effectivePriceExpression(now: Date): Document {
  const base = '$basePrice.minor';
  const active = {
    $and: [
      { $ne: [{ $ifNull: ['$discount', null] }, null] },
      { $or: [{ $eq: [{ $ifNull: ['$discount.startsAt', null] }, null] }, { $lte: ['$discount.startsAt', now] }] },
      { $or: [{ $eq: [{ $ifNull: ['$discount.endsAt', null] }, null] }, { $gt: ['$discount.endsAt', now] }] },
    ],
  };
  const reduction = {
    $cond: [
      { $eq: ['$discount.type', 'PERCENTAGE'] },
      { $floor: { $divide: [{ $add: [{ $multiply: [base, '$discount.value'] }, 5000] }, 10000] } },
      '$discount.value',
    ],
  };
  return { $cond: [active, { $max: [0, { $subtract: [base, reduction] }] }, base] };
}

/** The conditions of a listing, cursor excepted. Archived products are never listed. */
export function productListFilter(query: Omit<ProductListQuery, 'afterId' | 'first'>): Document {
  const clauses: Document[] = [{ archivedAt: null }];
  if (query.categoryIds) clauses.push({ categoryId: { $in: [...query.categoryIds] } });
  if (query.brand !== undefined) clauses.push({ 'attributes.brand': { $eq: query.brand } });
  if (query.skus) clauses.push({ sku: { $in: [...query.skus] } });
  for (const term of query.searchTerms ?? []) {
    const pattern = escapeRegex(term);
    clauses.push({ $or: SEARCH_FIELDS.map((field) => ({ [field]: { $regex: pattern, $options: 'i' } })) });
  }
  if (query.price) {
    const { currency, minMinor, maxMinor } = query.price;
    clauses.push({ 'basePrice.currency': { $eq: currency } });
    const price = effectivePriceExpression(query.now);
    const bounds: Document[] = [];
    if (minMinor !== undefined) bounds.push({ $gte: [price, minMinor] });
    if (maxMinor !== undefined) bounds.push({ $lte: [price, maxMinor] });
    if (bounds.length > 0) clauses.push({ $expr: { $and: bounds } });
  }
  return { $and: clauses };
}

/** One page: the listing conditions plus "after the cursor", one extra row to tell if more follow. */
export function productListPlan(query: ProductListQuery): ProductListPlan {
  const countFilter = productListFilter(query);
  const filter =
    query.afterId === undefined ? countFilter : { $and: [...(countFilter.$and as Document[]), { _id: { $gt: query.afterId } }] };
  return { filter, countFilter, sort: { ...PRODUCT_SORT }, limit: query.first + 1 };
}

/** Cuts the extra row a plan asked for and tells whether it was there. */
export function toProductPage(rows: ProductDocument[], first: number, totalCount: number): ProductPage {
  return { documents: rows.slice(0, first), hasNextPage: rows.length > first, totalCount };
}

import type { Document, IndexDescription } from 'mongodb';
import type {
  PendingEvent,
  ProductChanges,
  ProductDocument,
  ProductListQuery,
  ProductPage,
  ReviewDocument,
  ReviewPage,
  ReviewPagesQuery,
} from '../repository.js';

/**
 * Pure translation of repository requests into MongoDB filter documents, sort and limit.
 * Both adapters execute exactly what these functions return, so the embedded store answers as
 * MongoDB would. Every user-supplied value lands in an operator position that takes it as a
 * literal (`$eq`, `$in`, an escaped `$regex`), never as a key or as an operator.
 */

/** `_id` is unique and immutable, so paging on it never repeats or skips a product. */
export const PRODUCT_SORT = { _id: 1 } as const;
export const CATEGORY_SORT = { _id: 1 } as const;
/** Newest first; `_id` breaks ties between reviews written in the same millisecond. */
export const REVIEW_SORT = { createdAt: -1, _id: -1 } as const;

/** Reads leave the outbox out: pending events are the relay's business, never a caller's. */
export const PRODUCT_PROJECTION = { pendingEvents: 0 } as const;

/** Fields searched by `ProductFilter.search`. */
export const SEARCH_FIELDS = ['name', 'description', 'sku', 'attributes.brand', 'attributes.color'] as const;

export const PRODUCT_INDEXES: IndexDescription[] = [
  { key: { sku: 1 }, name: 'sku_unique', unique: true },
  { key: { slug: 1 }, name: 'slug_unique', unique: true },
  { key: { archivedAt: 1, categoryId: 1, _id: 1 }, name: 'listing_by_category' },
  { key: { archivedAt: 1, 'attributes.brand': 1, _id: 1 }, name: 'listing_by_brand' },
  // Sparse: only products with events waiting are in it, so the relay's poll stays cheap.
  { key: { 'pendingEvents.id': 1 }, name: 'pending_events', sparse: true },
];

export const REVIEW_INDEXES: IndexDescription[] = [
  { key: { productId: 1, userId: 1 }, name: 'one_review_per_user_and_product', unique: true },
  { key: { productId: 1, createdAt: -1, _id: -1 }, name: 'by_product_newest' },
  { key: { userId: 1, createdAt: -1, _id: -1 }, name: 'by_user_newest' },
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

/** The product with this id, only while it is not archived: the target of every product write. */
export function listedProductFilter(id: string): Document {
  return { _id: { $eq: id }, archivedAt: null };
}

/**
 * An update: the given top-level fields replace what is stored, `attributes`, `seo` and `prices`
 * are set field by field (dotted paths; price keys are validated currency codes), and the event is appended to the product's outbox in the same
 * write. Values are only ever values here: nothing a client sent becomes a key or an operator.
 */
export function productChangesUpdate(changes: ProductChanges, at: Date, event: PendingEvent): Document {
  const set: Document = {};
  for (const [field, value] of Object.entries(changes)) {
    if (value === undefined) continue;
    if (field === 'attributes' || field === 'seo' || field === 'prices') {
      for (const [inner, innerValue] of Object.entries(value as object)) {
        if (innerValue !== undefined) set[`${field}.${inner}`] = innerValue;
      }
    } else {
      set[field] = value;
    }
  }
  return { $set: { ...set, updatedAt: at }, $push: { pendingEvents: event } };
}

export function archiveUpdate(at: Date, event: PendingEvent): Document {
  return { $set: { archivedAt: at, updatedAt: at }, $push: { pendingEvents: event } };
}

/** Counts one rating into the running sum and count: an increment, so concurrent reviews all count. */
export function ratingUpdate(rating: number, at: Date, event: PendingEvent): Document {
  return {
    $inc: { 'ratingSummary.count': 1, 'ratingSummary.sum': rating },
    $set: { updatedAt: at },
    $push: { pendingEvents: event },
  };
}

/** Listed products whose own currency is one of these. */
export function listedInCurrenciesFilter(currencies: readonly string[]): Document {
  return { 'basePrice.currency': { $in: [...currencies] }, archivedAt: null };
}

export function pendingEventUpdate(event: PendingEvent): Document {
  return { $push: { pendingEvents: event } };
}

/** Products with at least one event waiting (served by the sparse `pending_events` index). */
export function pendingEventsFilter(): Document {
  return { 'pendingEvents.id': { $exists: true } };
}

export function removePendingEventsUpdate(eventIds: readonly string[]): Document {
  return { $pull: { pendingEvents: { id: { $in: [...eventIds] } } } };
}

export function reviewsByIdsFilter(ids: readonly string[]): Document {
  return { _id: { $in: [...ids] } };
}

const reviewOwnerField = (by: ReviewPagesQuery['by']) => (by === 'product' ? 'productId' : 'userId');

/**
 * One aggregation for the pages of many owners: number each owner's reviews newest first and
 * keep the first `first + 1` of each (the extra one tells whether another page follows).
 */
export function reviewPagesPipeline(query: ReviewPagesQuery): Document[] {
  const owner = reviewOwnerField(query.by);
  const conditions: Document[] = [{ [owner]: { $in: [...query.ownerIds] } }];
  if (query.after) {
    const { createdAt, id } = query.after;
    conditions.push({ $or: [{ createdAt: { $lt: createdAt } }, { createdAt: { $eq: createdAt }, _id: { $lt: id } }] });
  }
  return [
    { $match: { $and: conditions } },
    {
      $setWindowFields: {
        partitionBy: `$${owner}`,
        sortBy: { ...REVIEW_SORT },
        output: { pagePosition: { $documentNumber: {} } },
      },
    },
    { $match: { pagePosition: { $lte: query.first + 1 } } },
    { $sort: { [owner]: 1, ...REVIEW_SORT } },
    { $project: { pagePosition: 0 } },
  ];
}

/** How many reviews each owner has in all (what `totalCount` reports), cursor ignored. */
export function reviewCountsPipeline(query: Pick<ReviewPagesQuery, 'by' | 'ownerIds'>): Document[] {
  const owner = reviewOwnerField(query.by);
  return [{ $match: { [owner]: { $in: [...query.ownerIds] } } }, { $group: { _id: `$${owner}`, count: { $sum: 1 } } }];
}

/** Splits the rows of `reviewPagesPipeline` into one page per owner, in `ownerIds` order. */
export function toReviewPages(
  query: ReviewPagesQuery,
  rows: readonly ReviewDocument[],
  counts: readonly { _id: string; count: number }[],
): ReviewPage[] {
  const owner = reviewOwnerField(query.by);
  const rowsByOwner = new Map<string, ReviewDocument[]>();
  for (const row of rows) {
    const list = rowsByOwner.get(row[owner]);
    if (list) list.push(row);
    else rowsByOwner.set(row[owner], [row]);
  }
  const countByOwner = new Map(counts.map((c) => [c._id, c.count]));
  return query.ownerIds.map((ownerId) => {
    const owned = rowsByOwner.get(ownerId) ?? [];
    return {
      ownerId,
      documents: owned.slice(0, query.first),
      hasNextPage: owned.length > query.first,
      totalCount: countByOwner.get(ownerId) ?? 0,
    };
  });
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

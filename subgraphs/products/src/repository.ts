/**
 * The store contract of the products subgraph. Two adapters implement it: `repository/mongo.ts`
 * (MongoDB) and `repository/embedded.ts` (in-process, evaluating the same filter documents),
 * and both build their queries with `repository/queries.ts`, so they answer alike.
 */

export type DiscountType = 'PERCENTAGE' | 'FIXED';

/**
 * A price reduction stored on the product. `value` is in basis points for PERCENTAGE
 * (2000 = 20 %) and in minor units of the product's currency for FIXED (500 = 5.00 EUR).
 * A null bound means "since forever" / "until further notice".
 */
export interface DiscountDocument {
  type: DiscountType;
  value: number;
  startsAt: Date | null;
  endsAt: Date | null;
}

export interface MoneyDocument {
  /** Integer minor units (cents). */
  minor: number;
  currency: string;
}

export interface VariantDocument {
  id: string;
  sku: string;
  name: string;
  size: string | null;
  color: string | null;
  /** List price of this variant in the product's currency; null means the product's base price. */
  priceMinor: number | null;
}

export interface ImageDocument {
  url: string;
  alt: string | null;
}

export interface AttributesDocument {
  brand: string | null;
  color: string | null;
  size: string | null;
  weightGrams: number | null;
  dimensions: string | null;
}

/** Kept on the product so a product page needs no extra read; maintained by the reviews feature. */
export interface RatingSummaryDocument {
  count: number;
  sum: number;
}

export interface ProductDocument {
  /** ObjectId-shaped hex string (24 characters), stored as a string in both adapters. */
  _id: string;
  sku: string;
  name: string;
  slug: string;
  description: string | null;
  categoryId: string;
  basePrice: MoneyDocument;
  discount: DiscountDocument | null;
  variants: VariantDocument[];
  images: ImageDocument[];
  attributes: AttributesDocument;
  ratingSummary: RatingSummaryDocument;
  createdAt: Date;
  updatedAt: Date;
  /** Set when the product was withdrawn: hidden from lists, still resolvable by id and SKU. */
  archivedAt: Date | null;
}

export interface CategoryDocument {
  _id: string;
  name: string;
  slug: string;
  parentId: string | null;
  createdAt: Date;
}

/** A validated request for one page of products; `repository/queries.ts` turns it into Mongo terms. */
export interface ProductListQuery {
  /** Products filed under any of these categories. */
  categoryIds?: readonly string[];
  /** Words, each of which must appear in one of the searchable fields (plain text). */
  searchTerms?: readonly string[];
  brand?: string;
  /** Bounds on the price effective at `now`, inclusive, in minor units of `currency`. */
  price?: { currency: string; minMinor?: number; maxMinor?: number };
  skus?: readonly string[];
  /** Continue after the product with this id (exclusive). */
  afterId?: string;
  /** Page size, 0 or more. */
  first: number;
  /** The instant at which discounts are judged active. */
  now: Date;
}

export interface ProductPage {
  documents: ProductDocument[];
  hasNextPage: boolean;
  /** Matches of the filter over all pages, ignoring `afterId`. */
  totalCount: number;
}

/** A write broke a unique index (duplicate id, SKU or slug). */
export class DuplicateKeyError extends Error {
  constructor(message = 'duplicate key') {
    super(message);
    this.name = 'DuplicateKeyError';
  }
}

export interface ProductRepository {
  /** Products with these ids, archived ones included, in any order; missing ids are left out. */
  findByIds(ids: readonly string[]): Promise<ProductDocument[]>;
  /** Products with these SKUs, archived ones included, in any order. */
  findBySkus(skus: readonly string[]): Promise<ProductDocument[]>;
  /** One page of non-archived products in `_id` order, with the total match count. */
  findPage(query: ProductListQuery): Promise<ProductPage>;
  findCategoriesByIds(ids: readonly string[]): Promise<CategoryDocument[]>;
  findCategoriesByParentIds(parentIds: readonly string[]): Promise<CategoryDocument[]>;
  /** Every category in `_id` order. */
  listCategories(): Promise<CategoryDocument[]>;
  /**
   * Inserts in order; on a unique clash throws DuplicateKeyError, and the documents before the
   * clashing one stay written (as with an ordered Mongo insertMany).
   */
  insertCategories(documents: readonly CategoryDocument[]): Promise<void>;
  /** As `insertCategories`. */
  insertProducts(documents: readonly ProductDocument[]): Promise<void>;
  /** True when there are neither products nor categories. */
  isEmpty(): Promise<boolean>;
  /** Resolves when the store answers; throws otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

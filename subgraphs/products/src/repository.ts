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

/** A variant as resolvers see it: priced by its product's rules. */
export interface VariantView extends VariantDocument {
  product: ProductDocument;
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

/**
 * Kept on the product so a product page needs no extra read. Each review adds to it with an
 * atomic `$inc` (never read-modify-write), so concurrent reviews cannot lose one another.
 */
export interface RatingSummaryDocument {
  count: number;
  /** Sum of all ratings (1..5 each); the average is derived, never stored. */
  sum: number;
}

/** Search-engine texts; null falls back to what the storefront derives (name, description). */
export interface SeoDocument {
  title: string | null;
  description: string | null;
}

export type ProductEventType = 'product.created' | 'product.updated' | 'product.archived';

/**
 * An event a write announced and the relay has not yet published: the outbox of a store without
 * multi-document transactions. It lives in the product document it is about, so the change and
 * its announcement are one single-document write (atomic in MongoDB and in the embedded store).
 * The relay builds the payload from the product when it publishes.
 */
export interface PendingEvent {
  /** The event id consumers dedupe by (UUID); the same on every re-publication. */
  id: string;
  type: ProductEventType;
  occurredAt: Date;
}

/**
 * An admin-set exchange rate: 1 `from` = `rate` `to`. `_id` is "FROM:TO", so there is one rate
 * per direction; a price is converted with the direct rate, else with the inverse of the other.
 */
export interface ExchangeRateDocument {
  _id: string;
  from: string;
  to: string;
  /** A positive decimal string as the admin set it, normalised ("161.5"). */
  rate: string;
  updatedAt: Date;
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
  /**
   * Fixed list prices in other currencies (minor units by ISO code), set by admins; a currency
   * without one is converted from `basePrice`. Absent on documents from before currencies.
   */
  prices?: Record<string, number>;
  discount: DiscountDocument | null;
  variants: VariantDocument[];
  images: ImageDocument[];
  attributes: AttributesDocument;
  ratingSummary: RatingSummaryDocument;
  seo: SeoDocument;
  createdAt: Date;
  updatedAt: Date;
  /** Set when the product was withdrawn: hidden from lists, still resolvable by id and SKU. */
  archivedAt: Date | null;
  /**
   * Written together with the change that caused them and removed once published. Reads never
   * return this field; only `insertProducts` accepts it and `findPendingEvents` returns it.
   */
  pendingEvents?: PendingEvent[];
}

export interface CategoryDocument {
  _id: string;
  name: string;
  slug: string;
  parentId: string | null;
  seo: SeoDocument;
  createdAt: Date;
}

export interface ReviewDocument {
  _id: string;
  productId: string;
  /** The author's id in the users subgraph (opaque here). */
  userId: string;
  /** 1..5. */
  rating: number;
  title: string | null;
  body: string | null;
  createdAt: Date;
}

/**
 * The fields of a product an update may set. Top-level fields replace what is stored;
 * `attributes` and `seo` are merged field by field, so an update naming only `attributes.brand`
 * leaves the colour alone. The SKU and the slug never change (other subgraphs and URLs hold them).
 */
export interface ProductChanges {
  name?: string;
  description?: string | null;
  categoryId?: string;
  basePrice?: MoneyDocument;
  discount?: DiscountDocument | null;
  variants?: VariantDocument[];
  images?: ImageDocument[];
  attributes?: Partial<AttributesDocument>;
  seo?: Partial<SeoDocument>;
  /** Fixed prices to set, by currency (the others stay). */
  prices?: Record<string, number>;
}

/** One page of reviews per owner (a product or a user), newest first. */
export interface ReviewPagesQuery {
  /** Whose reviews: the products' or the authors'. */
  by: 'product' | 'user';
  ownerIds: readonly string[];
  /** Page size, 0 or more. */
  first: number;
  /** Continue after this review (exclusive), in newest-first order. */
  after?: { createdAt: Date; id: string };
}

export interface ReviewPage {
  ownerId: string;
  documents: ReviewDocument[];
  hasNextPage: boolean;
  /** All reviews of the owner, ignoring `after`. */
  totalCount: number;
}

/** Which events a product has waiting, with the product as it is now (to build their payloads). */
export interface ProductWithPendingEvents {
  product: ProductDocument;
  events: PendingEvent[];
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

/** A write broke a unique index (duplicate id, SKU, slug, or a second review by one user). */
export class DuplicateKeyError extends Error {
  constructor(
    message = 'duplicate key',
    /** The name of the unique index that refused the write (`sku_unique`, `_id_`, ...), when known. */
    readonly index: string | null = null,
  ) {
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
  /**
   * As `insertCategories`. A document may carry `pendingEvents` (e.g. its `product.created`):
   * they are stored in the same write and published by the relay.
   */
  insertProducts(documents: readonly ProductDocument[]): Promise<void>;
  /**
   * Applies `changes` to a product that is not archived, and records `event` in the same
   * single-document write. Resolves to the product as changed, or null when no product with
   * this id is listed (unknown, or archived).
   */
  updateProduct(id: string, changes: ProductChanges, at: Date, event: PendingEvent): Promise<ProductDocument | null>;
  /** Sets `archivedAt` on a product that is not archived yet (with `event`); null otherwise. */
  archiveProduct(id: string, at: Date, event: PendingEvent): Promise<ProductDocument | null>;
  /**
   * Stores a review, then adds its rating to the product's running sum and count with an atomic
   * increment that also records `event`. A second review by the same user of the same product
   * throws DuplicateKeyError (unique index). When the product is unknown or archived by then,
   * the review is removed again and the result is null.
   */
  insertReview(review: ReviewDocument, event: PendingEvent): Promise<ProductDocument | null>;
  findReviewsByIds(ids: readonly string[]): Promise<ReviewDocument[]>;
  /** One page per owner id, in the order of `query.ownerIds`: one store round trip for all. */
  findReviewPages(query: ReviewPagesQuery): Promise<ReviewPage[]>;
  /** Removes the title and body of every review by this user (an account deletion); ratings stay. */
  eraseReviewTexts(userId: string): Promise<void>;
  /** Up to `limit` products that have events waiting, with those events in write order. */
  findPendingEvents(limit: number): Promise<ProductWithPendingEvents[]>;
  /** Removes published events (by id) from their products; other pending events stay. */
  removePendingEvents(published: readonly { productId: string; eventIds: readonly string[] }[]): Promise<void>;
  /**
   * Records an event (`eventFor` its id) on every listed product whose own currency is one of
   * `currencies`: their converted prices changed with a rate, and the relay republishes them.
   * Resolves to how many products it recorded on.
   */
  announceProductsIn(currencies: readonly string[], eventFor: (productId: string) => PendingEvent): Promise<number>;
  /** Creates or replaces the rate for its direction (`_id`). */
  setExchangeRate(rate: ExchangeRateDocument): Promise<void>;
  /** Every rate, in `_id` order (a handful: one per currency pair an admin set). */
  listExchangeRates(): Promise<ExchangeRateDocument[]>;
  /** True when there are neither products nor categories. */
  isEmpty(): Promise<boolean>;
  /** Resolves when the store answers; throws otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

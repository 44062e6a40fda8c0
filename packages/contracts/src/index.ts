/**
 * The published language between subgraphs: the payloads of events one subgraph produces and
 * others consume (docs/events.md is the catalogue). Types only, so that a producer and its
 * consumers cannot drift apart; no subgraph's code lives here.
 */

/** `product.created` / `product.updated` carry `{ product: ProductSnapshot }`: everything search indexes. */
export interface ProductSnapshot {
  id: string;
  sku: string;
  name: string;
  slug: string;
  description: string | null;
  categoryId: string;
  /** The product's category and every category above it (the order carries no meaning). */
  categoryIds: string[];
  categoryName: string | null;
  brand: string | null;
  color: string | null;
  size: string | null;
  /** The price in effect when the snapshot was taken, in minor units of `currency`. */
  priceMinor: number;
  basePriceMinor: number;
  currency: string;
  /**
   * The price in effect when the snapshot was taken in every currency the product has one in
   * (its own, fixed prices, currencies an exchange rate converts to), in minor units by ISO code:
   * what `Product.price(currency:)` answered then. Absent from producers older than currencies.
   */
  prices?: Record<string, number>;
  ratingAverage: number;
  ratingCount: number;
  /** ISO-8601. */
  createdAt: string;
  archived: boolean;
  /** ISO-8601; when present it orders snapshots of one product (else the event time does). */
  updatedAt?: string;
}

/**
 * Privacy rights (docs/privacy.md). Users coordinates them: it publishes a request, every
 * subgraph that keeps something about people answers with its own part or its erasure, and
 * users records the answers. No subgraph reads another's store for this.
 */
export const PRIVACY_EVENTS = {
  /** users -> every participant: `DataExportRequested`. */
  exportRequested: 'data_export.requested',
  /** participant -> users: `DataExportPart`. */
  exportPart: 'data_export.part',
  /** users -> every participant (and the router's token deny-list): `UserDeleted`. */
  userDeleted: 'user.deleted',
  /** participant -> users: `UserErased`. */
  userErased: 'user.erased',
} as const;

export interface DataExportRequested {
  exportId: string;
  userId: string;
  /** ISO-8601. */
  requestedAt: string;
}

export interface DataExportPart {
  exportId: string;
  userId: string;
  /** The subgraph whose part this is. */
  service: string;
  /** What the subgraph keeps about the user, as JSON (money in minor units with its currency). */
  data: unknown;
}

export interface UserDeleted {
  userId: string;
  /** ISO-8601; access tokens issued before it are refused. */
  deletedAt: string;
}

export interface UserErased {
  userId: string;
  service: string;
  /** ISO-8601. */
  erasedAt: string;
}

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
  ratingAverage: number;
  ratingCount: number;
  /** ISO-8601. */
  createdAt: string;
  archived: boolean;
  /** ISO-8601; when present it orders snapshots of one product (else the event time does). */
  updatedAt?: string;
}

import { randomUUID } from 'node:crypto';
import type { ProductSnapshot } from '@shop/contracts';
import type { EventEnvelope } from '@shop/events';
import { currentPrices, effectivePrice, type ExchangeRates } from './pricing.js';
import { ratingOf } from './reviews.js';
import type { CategoryDocument, PendingEvent, ProductDocument, ProductEventType } from './repository.js';

/** The `source` of every event this subgraph produces. */
export const EVENT_SOURCE = 'products';

export interface ProductChangedData {
  product: ProductSnapshot;
}

export interface ProductArchivedData {
  productId: string;
  sku: string;
  archivedAt: string;
}

export function pendingEvent(type: ProductEventType, occurredAt: Date): PendingEvent {
  return { id: randomUUID(), type, occurredAt };
}

export function productSnapshot(
  product: ProductDocument,
  categories: ReadonlyMap<string, CategoryDocument>,
  rates: ExchangeRates,
  now: Date,
): ProductSnapshot {
  const rating = ratingOf(product);
  return {
    id: product._id,
    sku: product.sku,
    name: product.name,
    slug: product.slug,
    description: product.description,
    categoryId: product.categoryId,
    categoryIds: categoryPath(product.categoryId, categories),
    categoryName: categories.get(product.categoryId)?.name ?? null,
    brand: product.attributes.brand,
    color: product.attributes.color,
    size: product.attributes.size,
    priceMinor: effectivePrice(product, now).minor,
    basePriceMinor: product.basePrice.minor,
    currency: product.basePrice.currency,
    prices: Object.fromEntries(currentPrices(product, rates, now).map((price) => [price.currency, price.minor])),
    ratingAverage: rating.average,
    ratingCount: rating.count,
    createdAt: product.createdAt.toISOString(),
    archived: product.archivedAt !== null,
  };
}

/** Root first, the category itself last; stops at a missing parent or a cycle. */
export function categoryPath(categoryId: string, categories: ReadonlyMap<string, CategoryDocument>): string[] {
  const path: string[] = [];
  for (let id: string | null = categoryId; id !== null && !path.includes(id); id = categories.get(id)?.parentId ?? null) {
    path.unshift(id);
  }
  return path;
}

/**
 * The envelope of a pending event. Its payload is built from the product as it is when the
 * event is published, so a consumer that indexes it never goes back to an older state, even
 * when an event is redelivered or two arrive out of order; id and time are the write's.
 */
export function toEnvelope(
  event: PendingEvent,
  product: ProductDocument,
  categories: ReadonlyMap<string, CategoryDocument>,
  rates: ExchangeRates,
  now: Date,
): EventEnvelope<ProductChangedData | ProductArchivedData> {
  const data: ProductChangedData | ProductArchivedData =
    event.type === 'product.archived'
      ? { productId: product._id, sku: product.sku, archivedAt: (product.archivedAt ?? event.occurredAt).toISOString() }
      : { product: productSnapshot(product, categories, rates, now) };
  return {
    id: event.id,
    type: event.type,
    source: EVENT_SOURCE,
    occurredAt: event.occurredAt.toISOString(),
    key: product._id,
    data,
  };
}

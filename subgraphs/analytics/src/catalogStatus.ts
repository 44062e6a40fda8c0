import type { Kysely } from 'kysely';
import type { EventBus, EventEnvelope, Subscription } from '@shop/events';
import type { Logger } from '@shop/subgraph-kit';
import type { AnalyticsDatabase } from './db/schema.js';
import { recommendationRepository } from './recommendationRepository.js';

/** Its own group: current state only, never logged or replayed with the sales history. */
export const CATALOG_GROUP = 'analytics.catalog';

const CATALOG_EVENTS = ['product.created', 'product.updated', 'product.archived', 'stock.changed'] as const;

type Fields = Record<string, unknown>;
const fields = (value: unknown): Fields | null => (typeof value === 'object' && value !== null ? (value as Fields) : null);

/**
 * Keeps `catalog_status`: archived products (for good) and whether each is in stock (the newest
 * event wins, by `occurredAt`). Each write is idempotent, so a redelivery changes nothing.
 */
export async function applyCatalogEvent(db: Kysely<AnalyticsDatabase>, event: EventEnvelope, logger: Logger): Promise<void> {
  const data = fields(event.data);
  const product = fields(data?.product);
  if (event.type === 'stock.changed' && typeof data?.productId === 'string' && typeof data.inStock === 'boolean') {
    return recommendationRepository.setInStock(db, data.productId, data.inStock, event.occurredAt);
  }
  if (event.type === 'product.archived' && typeof data?.productId === 'string') {
    return recommendationRepository.markArchived(db, data.productId, true);
  }
  if ((event.type === 'product.created' || event.type === 'product.updated') && typeof product?.id === 'string') {
    return recommendationRepository.markArchived(db, product.id, product.archived === true);
  }
  logger.warn('ignored a malformed catalog event', { eventId: event.id, type: event.type });
}

export function consumeCatalogEvents(options: { bus: EventBus; db: Kysely<AnalyticsDatabase>; logger: Logger }): Promise<Subscription> {
  return options.bus.subscribe({
    group: CATALOG_GROUP,
    types: CATALOG_EVENTS,
    handler: (event) => applyCatalogEvent(options.db, event, options.logger),
  });
}

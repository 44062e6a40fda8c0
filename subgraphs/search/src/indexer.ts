import type { EventBus, EventEnvelope, Subscription } from '@shop/events';
import type { Logger } from '@shop/subgraph-kit';
import type { IndexOperation, SearchRepository } from './repository.js';
import { SnapshotError, toIndexedProduct } from './snapshot.js';

/** The consumer group of the indexer (docs/events.md). */
export const INDEXER_GROUP = 'search.indexer';

export const INDEXED_EVENT_TYPES = ['product.created', 'product.updated', 'product.archived', 'stock.changed'] as const;

export class EventPayloadError extends Error {
  override name = 'EventPayloadError';
}

/**
 * The index write an event asks for (pure). The write is versioned by the time of the change it
 * describes: a snapshot's `updatedAt` or an archive's `archivedAt` when the producer sent one,
 * else the event's `occurredAt`. Throws EventPayloadError or SnapshotError for a payload that
 * does not have the documented shape.
 */
export function operationFromEvent(event: EventEnvelope): IndexOperation {
  const data = (event.data ?? {}) as Record<string, unknown>;
  const occurredAt = Date.parse(event.occurredAt);
  const versionFrom = (value: unknown): number => {
    const ms = typeof value === 'string' ? Date.parse(value) : occurredAt;
    if (Number.isNaN(ms)) throw new EventPayloadError(`${event.type} ${event.id} carries no usable time`);
    return ms;
  };
  const productId = (): string => {
    const id = data.productId;
    if (typeof id !== 'string' || id === '') throw new EventPayloadError(`${event.type} ${event.id} has no data.productId`);
    return id;
  };

  switch (event.type) {
    case 'product.created':
    case 'product.updated': {
      const { product, listed, updatedAt } = toIndexedProduct(data.product);
      return { kind: 'product', product, listed, version: updatedAt ?? versionFrom(undefined) };
    }
    case 'product.archived':
      return { kind: 'archive', id: productId(), version: versionFrom(data.archivedAt) };
    case 'stock.changed': {
      const inStock = typeof data.inStock === 'boolean' ? data.inStock : typeof data.available === 'number' ? data.available > 0 : null;
      if (inStock === null) throw new EventPayloadError(`stock.changed ${event.id} has neither data.inStock nor data.available`);
      return { kind: 'stock', id: productId(), inStock, version: versionFrom(undefined) };
    }
    default:
      throw new EventPayloadError(`search does not index ${event.type} events`);
  }
}

/**
 * Follows the catalog: every product and stock event, in consumer group `search.indexer`, is
 * written to the repository. Writes are idempotent and versioned, so redeliveries and events
 * arriving out of order leave the index as the latest change left it. A malformed event is
 * logged and skipped (retrying it could never succeed); a failed write is retried by the bus.
 */
export function startIndexer(options: { bus: EventBus; repository: SearchRepository; logger: Logger }): Promise<Subscription> {
  const { repository, logger } = options;
  return options.bus.subscribe({
    group: INDEXER_GROUP,
    types: INDEXED_EVENT_TYPES,
    handler: async (event) => {
      let operation: IndexOperation;
      try {
        operation = operationFromEvent(event);
      } catch (error) {
        if (error instanceof EventPayloadError || error instanceof SnapshotError) {
          logger.warn('skipped a malformed event', { eventId: event.id, type: event.type, reason: error.message });
          return;
        }
        throw error;
      }
      await repository.apply([operation]);
      logger.debug('indexed', { eventId: event.id, type: event.type, key: event.key });
    },
  });
}

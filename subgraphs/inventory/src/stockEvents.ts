import { badUserInput } from '@shop/errors';
import { createEventLog, type EventLog, type EventLogStore, type LoggedEvent, type Logger } from '@shop/subgraph-kit';
import type { StockRepository } from './repository.js';

/** The event log (a Redis Stream in the key-value store) every inventory replica appends stock changes to. */
export const STOCK_STREAM = 'inventory.stock-changed';

const MAX_SUBSCRIBED_PRODUCTS = 100;

export interface StockChangedEvent {
  productId: string;
}

export function stockLog(store: EventLogStore, logger: Logger): EventLog<StockChangedEvent> {
  return createEventLog<StockChangedEvent>({ store, stream: STOCK_STREAM, logger });
}

/**
 * Publishes one event per product whose on-hand stock an admin write changed (`setOnHand`
 * resolves after its transaction committed). Reservations publish on the same channel from
 * their own commit hook (`onStockChanged` in server.ts).
 */
export function publishingStockChanges(repository: StockRepository, log: EventLog<StockChangedEvent>): StockRepository {
  return {
    ...repository,
    async setOnHand(writes, actorId) {
      const result = await repository.setOnHand(writes, actorId);
      if (result.ok) {
        const productIds = [...new Set(writes.map((write) => write.productId))];
        for (const productId of productIds) await log.append({ productId });
      }
      return result;
    },
  };
}

/** `Subscription.stockChanged`: open to everyone, optionally narrowed to some products. */
export function stockChangedField(log: EventLog<StockChangedEvent>) {
  return {
    subscribe: async (_root: unknown, args: { productIds?: readonly string[] | null; after?: string | null }) => {
      const wanted = args.productIds ? new Set(args.productIds) : null;
      if (wanted && (wanted.size === 0 || wanted.size > MAX_SUBSCRIBED_PRODUCTS)) {
        throw badUserInput(`productIds must name 1 to ${MAX_SUBSCRIBED_PRODUCTS} products`, 'productIds');
      }
      return log.subscribe({ after: args.after ?? null, filter: (event) => wanted === null || wanted.has(event.productId) });
    },
    // Each event runs with a fresh context: `stock` is read after the change, not from a cache.
    resolve: ({ event }: LoggedEvent<StockChangedEvent>) => ({ __typename: 'Product' as const, id: event.productId }),
  };
}

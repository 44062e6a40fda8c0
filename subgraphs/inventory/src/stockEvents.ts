import { badUserInput } from '@shop/errors';
import type { EventBus, Subscription } from '@shop/events';
import { createEventLog, feedEventLog, type EventLog, type EventLogStore, type LoggedEvent, type Logger } from '@shop/subgraph-kit';

/** The event log (a Redis Stream in the key-value store) every inventory replica appends stock changes to. */
export const STOCK_STREAM = 'inventory.stock-changed';
/** The consumer group (replicas share it) that appends `stock.changed` to the log. */
export const STOCK_LOG_GROUP = 'inventory.stock-log';

const MAX_SUBSCRIBED_PRODUCTS = 100;

export interface StockChangedEvent {
  productId: string;
}

export function stockLog(store: EventLogStore, logger: Logger, retentionMs?: number): EventLog<StockChangedEvent> {
  return createEventLog<StockChangedEvent>({ store, stream: STOCK_STREAM, logger, ...(retentionMs !== undefined ? { retentionMs } : {}) });
}

/** The log gets one event per `stock.changed` the outbox relay publishes (every stock movement). */
export function feedStockLog(bus: EventBus, log: EventLog<StockChangedEvent>): Promise<Subscription> {
  return feedEventLog({ bus, group: STOCK_LOG_GROUP, type: 'stock.changed', log, toEvent: (event) => ({ productId: (event.data as StockChangedEvent).productId }) });
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

import { badUserInput } from '@shop/errors';
import { channelIterator, publishEvent, type Logger, type PubSub } from '@shop/subgraph-kit';
import type { InventoryContext } from './context.js';
import type { StockRepository } from './repository.js';

/** The key-value store channel every inventory replica publishes stock changes to. */
export const STOCK_CHANNEL = 'inventory.stock-changed';

const MAX_SUBSCRIBED_PRODUCTS = 100;

export interface StockChangedEvent {
  productId: string;
}

/**
 * Publishes one event per product whose on-hand stock an admin write changed (`setOnHand`
 * resolves after its transaction committed). Reservations publish on the same channel from
 * their own commit hook (`onStockChanged` in server.ts).
 */
export function publishingStockChanges(repository: StockRepository, pubsub: PubSub, logger: Logger): StockRepository {
  return {
    ...repository,
    async setOnHand(writes, actorId) {
      const result = await repository.setOnHand(writes, actorId);
      if (result.ok) {
        const productIds = [...new Set(writes.map((write) => write.productId))];
        await Promise.all(
          productIds.map((productId) => publishEvent(pubsub, STOCK_CHANNEL, { productId } satisfies StockChangedEvent, logger)),
        );
      }
      return result;
    },
  };
}

/** `Subscription.stockChanged`: open to everyone, optionally narrowed to some products. */
export function stockChangedField(pubsub: PubSub) {
  return {
    subscribe: async (_root: unknown, args: { productIds?: readonly string[] | null }, ctx: InventoryContext) => {
      const wanted = args.productIds ? new Set(args.productIds) : null;
      if (wanted && (wanted.size === 0 || wanted.size > MAX_SUBSCRIBED_PRODUCTS)) {
        throw badUserInput(`productIds must name 1 to ${MAX_SUBSCRIBED_PRODUCTS} products`, 'productIds');
      }
      return channelIterator<StockChangedEvent>(pubsub, STOCK_CHANNEL, {
        logger: ctx.logger,
        filter: (event) => wanted === null || wanted.has(event.productId),
      });
    },
    // Each event runs with a fresh context: `stock` is read after the change, not from a cache.
    resolve: (event: StockChangedEvent) => ({ __typename: 'Product' as const, id: event.productId }),
  };
}

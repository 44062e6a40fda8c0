import { badUserInput, conflict, notFound, unauthenticated } from '@shop/errors';
import { createEvent, type EventEnvelope } from '@shop/events';
import { requireCaller, type Logger } from '@shop/subgraph-kit';
import type { Catalog } from './catalog.js';
import type { UsersContext } from './context.js';
import type { UserView, WishlistItem } from './model.js';
import { assertMayReadPrivate } from './visibility.js';
import type { WishlistRepository } from './wishlistRepository.js';

/** Bounds what one account can make us store, and what one restock can make us send. */
export const MAX_WISHLIST_ITEMS = 100;

/** The consumer group (and inbox name) of the back-in-stock alerts. */
export const WISHLIST_CONSUMER = 'users.wishlist';

const PRODUCT_ID = /^[A-Za-z0-9_-]{1,64}$/;

export type WishlistService = ReturnType<typeof createWishlistService>;

/** `wishlist.back_in_stock`: one per user wishing for a product that went from 0 available to more. */
export function backInStock(userId: string, product: { id: string; name: string }, available: number, restockEventId: string): EventEnvelope {
  return createEvent('users', 'wishlist.back_in_stock', userId, { userId, productId: product.id, productName: product.name, available, restockEventId });
}

/** A restock, read from `stock.changed`: null for any other movement (or an event without `previousAvailable`). */
export function readRestock(event: EventEnvelope): { productId: string; available: number } | null {
  const data = (event.data ?? {}) as { productId?: unknown; available?: unknown; previousAvailable?: unknown };
  if (typeof data.productId !== 'string' || !Number.isSafeInteger(data.available)) return null;
  const available = data.available as number;
  return data.previousAvailable === 0 && available > 0 ? { productId: data.productId, available } : null;
}

export function createWishlistService(deps: { repository: WishlistRepository; catalog: Catalog; alerted: () => void; logger: Logger }) {
  const { repository, catalog } = deps;

  async function ownList(ctx: UsersContext, userId: string): Promise<WishlistItem[]> {
    ctx.loaders.wishlistByUserId.clear(userId);
    return ctx.loaders.wishlistByUserId.load(userId);
  }

  function parseProductId(raw: string): string {
    if (!PRODUCT_ID.test(raw)) throw badUserInput('productId is not a product id', 'productId');
    return raw;
  }

  return {
    async wishlist(ctx: UsersContext, user: UserView): Promise<WishlistItem[]> {
      assertMayReadPrivate(ctx, user, 'wishlist');
      return ctx.loaders.wishlistByUserId.load(user.id);
    },

    /** The catalog is asked first, so a list never holds a product that never existed. */
    async add(ctx: UsersContext, rawProductId: string): Promise<WishlistItem[]> {
      const caller = requireCaller(ctx);
      const productId = parseProductId(rawProductId);
      const product = (await catalog.describe([productId])).get(productId);
      if (!product) throw notFound('Product', productId);
      const outcome = await repository.add(caller.userId, productId, MAX_WISHLIST_ITEMS);
      if (outcome === 'gone') throw unauthenticated('This account no longer exists');
      if (outcome === 'full') throw conflict(`A wishlist holds at most ${MAX_WISHLIST_ITEMS} products: remove one first`, { reason: 'LIMIT_REACHED', field: 'productId' });
      return ownList(ctx, caller.userId);
    },

    async remove(ctx: UsersContext, rawProductId: string): Promise<WishlistItem[]> {
      const caller = requireCaller(ctx);
      await repository.remove(caller.userId, parseProductId(rawProductId));
      return ownList(ctx, caller.userId);
    },

    /**
     * `stock.changed`: a restock (0 available before, more now) of a wished-for product alerts
     * each user wishing for it once, through `wishlist.back_in_stock` events written in the
     * transaction that records the event as handled. An archived product alerts nobody. The
     * catalog is asked before the transaction; when it cannot answer, the event is tried again.
     */
    async handleStockChanged(event: EventEnvelope): Promise<void> {
      const restock = readRestock(event);
      if (!restock || !(await repository.hasWishers(restock.productId))) return;
      const product = (await catalog.describe([restock.productId])).get(restock.productId);
      if (!product || product.archived) return;
      const alerted = await repository.alertWishersOnce(WISHLIST_CONSUMER, event, restock.productId, (userIds) =>
        userIds.map((userId) => backInStock(userId, { id: restock.productId, name: product.name }, restock.available, event.id)),
      );
      if (alerted) {
        deps.alerted();
        deps.logger.info('back in stock: wishers alerted', { productId: restock.productId, eventId: event.id });
      }
    },
  };
}

import { badUserInput, conflict } from '@shop/errors';
import { requireCaller, requireServiceScope } from '@shop/subgraph-kit';
import { MAX_RESERVATION_TTL_SECONDS } from './config.js';
import type { InventoryContext } from './context.js';
import type { ReservationRepository } from './reservationRepository.js';
import { mergeItems, type Reservation, type ReservationItem } from './reservations.js';
import { MAX_QUANTITY, PRODUCT_ID } from './service.js';

/** The most distinct products one reservation may hold. */
export const MAX_RESERVATION_ITEMS = 100;

/**
 * What orders is granted (see SERVICE_CALLERS in server.ts): holding and giving back stock for
 * an order. A customer's token alone never reserves stock, whoever forwards it.
 */
export const RESERVE_STOCK_SCOPE = 'stock:reserve';

// Order ids belong to the orders subgraph (uuids today); we only insist they are sane to store.
const ORDER_ID = /^[A-Za-z0-9_-]{1,64}$/;
// Cart ids belong to the cart subgraph (32 URL-safe characters today); likewise.
export const CART_ID = /^[A-Za-z0-9_-]{1,64}$/;

export interface ReserveStockArgs {
  orderId: string;
  items: ReservationItem[];
  ttlSeconds?: number | null;
  /** The cart whose hold the order takes over (checkout passes the cart it places). */
  cartId?: string | null;
}

export interface ReservationService {
  /** Holds stock for an order, all or nothing; a repeat for the same order returns the first outcome. */
  reserveStock(ctx: InventoryContext, args: ReserveStockArgs): Promise<Reservation>;
  /** Gives back an order's active reservation; false when there is none (or it is not the caller's). */
  releaseReservation(ctx: InventoryContext, orderId: string): Promise<boolean>;
}

/**
 * The commands checkout sends to inventory directly (`@inaccessible`: not in the public
 * supergraph). They act for the signed-in customer whose token orders forwards.
 */
export function createReservationService(deps: {
  repository: ReservationRepository;
  defaultTtlSeconds: number;
  /** The time reservations are made and expired by (the sweeper's too). */
  clock: () => Date;
  /** Called after a commit that moved the stock of these products. */
  onStockChanged: (productIds: string[]) => void;
}): ReservationService {
  const { repository } = deps;

  const changed = (ctx: InventoryContext, productIds: string[]) => {
    if (productIds.length === 0) return;
    // Later fields of this request must see the new stock, not what the loader cached.
    for (const id of productIds) ctx.loaders.stockByProductId.clear(id);
    deps.onStockChanged(productIds);
  };

  return {
    async reserveStock(ctx, args) {
      requireServiceScope(ctx, RESERVE_STOCK_SCOPE);
      const caller = requireCaller(ctx);
      const orderId = validOrderId(args.orderId);
      const items = validItems(args.items);
      const ttlSeconds = args.ttlSeconds ?? deps.defaultTtlSeconds;
      if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > MAX_RESERVATION_TTL_SECONDS) {
        throw badUserInput(`ttlSeconds must be 1 to ${MAX_RESERVATION_TTL_SECONDS}`, 'ttlSeconds');
      }
      const cartId = args.cartId ?? null;
      if (cartId !== null && !CART_ID.test(cartId)) throw badUserInput('cartId must be 1 to 64 letters, digits, "_" or "-"', 'cartId');
      const result = await repository.reserve({ orderId, userId: caller.userId, items, expiresAt: new Date(deps.clock().getTime() + ttlSeconds * 1000), cartId });
      switch (result.outcome) {
        case 'reserved':
          changed(ctx, result.changedProductIds);
          return result.reservation;
        case 'existing':
          return result.reservation;
        case 'foreign':
          throw conflict(`Order ${JSON.stringify(orderId)} already holds another customer's reservation`, { field: 'orderId' });
        case 'short': {
          const names = result.shortages.map((s) => `${s.productId} (${s.available} available, ${s.requested} asked)`);
          throw conflict(`Not enough stock: ${names.join(', ')}`, { reason: 'OUT_OF_STOCK', field: 'items', products: result.shortages });
        }
      }
    },

    async releaseReservation(ctx, orderId) {
      requireServiceScope(ctx, RESERVE_STOCK_SCOPE);
      const caller = requireCaller(ctx);
      const result = await repository.settle(validOrderId(orderId), 'release', caller.role === 'ADMIN' ? null : caller.userId);
      changed(ctx, result.changedProductIds);
      return result.changed;
    },
  };
}

function validOrderId(orderId: string): string {
  if (!ORDER_ID.test(orderId)) throw badUserInput('orderId must be 1 to 64 letters, digits, "_" or "-"', 'orderId');
  return orderId;
}

/** Items as checkout and holds accept them: sane ids, 1 to MAX_QUANTITY units, repeats merged, at most MAX_RESERVATION_ITEMS products. */
export function validItems(items: readonly ReservationItem[]): ReservationItem[] {
  if (items.length === 0) throw badUserInput('A reservation needs at least one item', 'items');
  items.forEach((item, index) => {
    if (!PRODUCT_ID.test(item.productId)) {
      throw badUserInput(`items[${index}].productId must be 1 to 64 letters, digits, "_" or "-"`, `items[${index}].productId`);
    }
    if (!Number.isInteger(item.quantity) || item.quantity < 1 || item.quantity > MAX_QUANTITY) {
      throw badUserInput(`items[${index}].quantity must be a whole number from 1 to ${MAX_QUANTITY}`, `items[${index}].quantity`);
    }
  });
  const merged = mergeItems(items);
  if (merged.length > MAX_RESERVATION_ITEMS) {
    throw badUserInput(`A reservation may hold at most ${MAX_RESERVATION_ITEMS} different products`, 'items');
  }
  if (merged.some((item) => item.quantity > MAX_QUANTITY)) {
    throw badUserInput(`A product may be reserved at most ${MAX_QUANTITY} times`, 'items');
  }
  return merged;
}

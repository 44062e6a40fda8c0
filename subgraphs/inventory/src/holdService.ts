import { badUserInput, conflict } from '@shop/errors';
import { requireServiceScope } from '@shop/subgraph-kit';
import type { InventoryContext } from './context.js';
import type { HoldRepository, HoldResult, StockHold } from './holdRepository.js';
import { CART_ID, validItems } from './reservationService.js';

/** What the cart service is granted (SERVICE_CALLERS in server.ts): holding stock for a cart. */
export const HOLD_STOCK_SCOPE = 'stock:hold';

/** A hold's length in seconds, as DESIGN.md fixes it for `holdCart`. */
export const HOLD_SECONDS = { min: 30, max: 900 } as const;

export interface HoldService {
  /** Holds the units for a cart, all or nothing, replacing the cart's earlier hold. */
  holdStock(ctx: InventoryContext, args: { cartId: string; items: Array<{ productId: string; quantity: number }>; seconds: number }): Promise<StockHold>;
  /** Moves a merged guest cart's active hold onto the cart it went into, re-held for that cart's lines; null when it had none. */
  moveHold(ctx: InventoryContext, args: { fromCartId: string; cartId: string; items: Array<{ productId: string; quantity: number }> }): Promise<StockHold | null>;
}

/**
 * `holdStock` (`@inaccessible`): the cart service calls it for `holdCart`, having checked the
 * shopper may use the cart. Time comes from `clock`, the same one the sweeper expires holds by.
 */
export function createHoldService(deps: {
  repository: HoldRepository;
  clock: () => Date;
  /** Called after a commit that moved the stock of these products. */
  onStockChanged: (productIds: string[]) => void;
}): HoldService {
  return {
    async holdStock(ctx, args) {
      requireServiceScope(ctx, HOLD_STOCK_SCOPE);
      if (!CART_ID.test(args.cartId)) throw badUserInput('cartId must be 1 to 64 letters, digits, "_" or "-"', 'cartId');
      if (!Number.isInteger(args.seconds) || args.seconds < HOLD_SECONDS.min || args.seconds > HOLD_SECONDS.max) {
        throw badUserInput(`seconds must be a whole number from ${HOLD_SECONDS.min} to ${HOLD_SECONDS.max}`, 'seconds');
      }
      const items = validItems(args.items);
      const result = await deps.repository.hold({ cartId: args.cartId, items, seconds: args.seconds, now: deps.clock() });
      return settled(ctx, result);
    },

    async moveHold(ctx, args) {
      requireServiceScope(ctx, HOLD_STOCK_SCOPE);
      for (const [field, id] of [['fromCartId', args.fromCartId], ['cartId', args.cartId]] as const) {
        if (!CART_ID.test(id)) throw badUserInput(`${field} must be 1 to 64 letters, digits, "_" or "-"`, field);
      }
      if (args.fromCartId === args.cartId) throw badUserInput('A cart cannot be merged into itself', 'fromCartId');
      const items = validItems(args.items);
      const result = await deps.repository.move({ fromCartId: args.fromCartId, cartId: args.cartId, items, now: deps.clock() });
      return result && settled(ctx, result);
    },
  };

  function settled(ctx: InventoryContext, result: HoldResult): StockHold {
    if (result.outcome === 'short') {
      const names = result.shortages.map((s) => `${s.productId} (${s.available} available, ${s.requested} asked)`);
      throw conflict(`Not enough stock to hold: ${names.join(', ')}`, { reason: 'OUT_OF_STOCK', field: 'items', products: result.shortages });
    }
    for (const id of result.changedProductIds) ctx.loaders.stockByProductId.clear(id);
    deps.onStockChanged(result.changedProductIds);
    return result.hold;
  }
}

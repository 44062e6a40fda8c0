import { AppError, badUserInput, conflict } from '@shop/errors';
import type { EventBus, EventEnvelope, Subscription } from '@shop/events';
import type { KeyValueStore } from '@shop/kv';
import { channelIterator, type Logger } from '@shop/subgraph-kit';
import { unitsByProduct } from './cartRules.js';
import type { CartContext } from './context.js';
import type { CartLine } from './model.js';
import type { CartRepository } from './repository.js';
import type { CartService } from './service.js';
import type { HoldOutcome, StockHolds } from './stockHolds.js';

/** `holdCart`'s `seconds`, as DESIGN.md fixes them. */
export const HOLD_SECONDS = { min: 30, max: 900, default: 600 } as const;

/** A cart's hold as clients see it (`CartHold`): the units held, priced when read. */
export interface CartHold {
  cartId: string;
  /** ISO-8601. */
  expiresAt: string;
  lines: CartLine[];
}

/** The consumer group that turns inventory's warnings into pushes. */
export const HOLD_WARNINGS_GROUP = 'cart.holds';

const warningChannel = (cartId: string) => `hold-expiring:${cartId}`;
// The warning pushed for the cart's hold, kept until the hold ends: pub/sub keeps nothing, so a
// subscriber that was reconnecting to Redis when it was pushed, or came later, reads it here.
const keptWarning = (cartId: string) => `hold-warned:${cartId}`;
// A warning redelivered by the bus (at least once) is pushed once: its event id is remembered this long.
const WARNING_MEMORY_SECONDS = 24 * 60 * 60;

/** `stock.hold_expiring` as docs/events.md defines it. */
interface HoldExpiring {
  cartId: string;
  expiresAt: string;
  items: CartLine[];
}

/**
 * Inventory's holds, a cart's kept warning forgotten once a new hold replaces the one it warned
 * of (`holdCart` again, or a guest's hold moved onto the cart at sign-in, which also ends the
 * guest cart's): it no longer stands.
 */
export function forgettingWarnings(stock: StockHolds, kv: KeyValueStore): StockHolds {
  const forget = async <R extends HoldOutcome | null>(outcome: R, ...cartIds: string[]): Promise<R> => {
    if (outcome?.ok) await kv.del(...cartIds.map(keptWarning));
    return outcome;
  };
  return {
    hold: async (cartId, lines, seconds) => forget(await stock.hold(cartId, lines, seconds), cartId),
    move: async (fromCartId, cartId, lines) => forget(await stock.move(fromCartId, cartId, lines), cartId, fromCartId),
  };
}

/**
 * Cart holds: `holdCart` asks inventory to hold the cart's lines (inventory owns the stock,
 * expires holds with its sweeper and converts them at checkout), and `reservationExpiring`
 * pushes inventory's one warning per hold to the cart's subscribers on every replica (the
 * warning arrives over the bus at one replica, which publishes it on the key-value store's pub/sub).
 */
export function createCartHolds(deps: {
  service: CartService;
  repository: CartRepository;
  /** `forgettingWarnings`' holds, as the service's are. */
  stock: StockHolds;
  kv: KeyValueStore;
  logger: Logger;
  /** The time a hold's end is judged by (the subgraph's clock). */
  clock: () => Date;
}) {
  const { service, repository, stock, kv, logger, clock } = deps;

  return {
    /** `Mutation.holdCart`: the cart `Query.cart` would return (a guest cart merged first), held as it is now. */
    async holdCart(ctx: CartContext, args: { cartId?: string | null; seconds?: number | null }): Promise<CartHold> {
      const seconds = args.seconds ?? HOLD_SECONDS.default;
      if (!Number.isInteger(seconds) || seconds < HOLD_SECONDS.min || seconds > HOLD_SECONDS.max) {
        throw badUserInput(`seconds must be a whole number from ${HOLD_SECONDS.min} to ${HOLD_SECONDS.max}`, 'seconds');
      }
      if (!ctx.caller && args.cartId == null) throw badUserInput("Pass the guest cart's id as cartId, or sign in", 'cartId');
      const cart = await service.cart(ctx, args.cartId);
      if (!cart) throw new AppError('NOT_FOUND', 'You have no cart to hold', { field: 'cartId' });
      // Only what the catalog still sells is held: the lines the shopper sees, in units per
      // product (inventory keeps stock per product, whatever the variant).
      const lines = (await service.items(ctx, cart)).map(({ productId, variantId, quantity }) => ({ productId, variantId, quantity }));
      if (lines.length === 0) throw badUserInput('The cart is empty: there is nothing to hold', 'cartId');
      const held = await stock.hold(cart.id, unitsByProduct(lines), seconds);
      if (!held.ok) {
        const names = held.shortages.map((s) => `${s.productId} (${s.available} available, ${s.requested} in the cart)`);
        throw conflict(`Not enough stock to hold the cart: ${names.join(', ')}`, { reason: 'OUT_OF_STOCK', field: 'cartId', products: held.shortages });
      }
      // All or nothing: what is held is the cart's lines, shown with their variants.
      return { cartId: cart.id, expiresAt: held.expiresAt, lines };
    },

    /** `Subscription.reservationExpiring`: for whoever may read the cart (its owner, or anyone with a guest cart's id). */
    async subscribe(ctx: CartContext, cartId: string): Promise<AsyncIterableIterator<CartHold>> {
      if (ctx.authError) throw ctx.authError;
      const [cart] = await repository.findByIds([cartId]);
      if (!cart || (cart.userId !== null && cart.userId !== ctx.caller?.userId)) {
        throw new AppError('NOT_FOUND', `Cart ${JSON.stringify(cartId)} not found`, { field: 'cartId' });
      }
      return channelIterator<CartHold>(kv, warningChannel(cartId), { logger, current: () => kv.get(keptWarning(cartId)) });
    },

    /** Turns inventory's `stock.hold_expiring` into one push on the cart's channel. */
    startWarnings(bus: EventBus): Promise<Subscription> {
      return bus.subscribe({
        group: HOLD_WARNINGS_GROUP,
        types: ['stock.hold_expiring'],
        handler: async (event: EventEnvelope) => {
          const warning = event.data as HoldExpiring;
          const seen = `hold-warning:${event.id}`;
          if (!(await kv.setIfAbsent(seen, '1', { ttlSeconds: WARNING_MEMORY_SECONDS }))) return;
          const hold: CartHold = { cartId: warning.cartId, expiresAt: warning.expiresAt, lines: warning.items };
          const message = JSON.stringify(hold);
          const secondsLeft = (Date.parse(warning.expiresAt) - clock().getTime()) / 1000;
          try {
            // Kept before it is published, so no subscriber can miss both.
            if (secondsLeft > 0) await kv.set(keptWarning(warning.cartId), message, { ttlSeconds: secondsLeft });
            await kv.publish(warningChannel(warning.cartId), message);
          } catch (error) {
            // Not pushed: forget it, so the bus's retry pushes it.
            await kv.del(seen);
            throw error;
          }
        },
      });
    },
  };
}

export type CartHolds = ReturnType<typeof createCartHolds>;

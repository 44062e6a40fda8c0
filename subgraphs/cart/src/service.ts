import AsyncLock from 'async-lock';
import { AppError, badUserInput, conflict } from '@shop/errors';
import { money, type Money } from '@shop/money';
import { requireCaller, type Logger } from '@shop/subgraph-kit';
import {
  addLine,
  assertProductId,
  assertQuantity,
  assertVariantId,
  chosenPrice,
  clearLines,
  emptyCart,
  mergeLines,
  pricedLines,
  removeLine,
  setLineQuantity,
  subtotalOf,
  unitsByProduct,
  withPromoCode,
  type Prices,
} from './cartRules.js';
import type { CatalogPrice } from './catalog.js';
import type { CartContext } from './context.js';
import { newCartId } from './ids.js';
import { EMPTY_CART_CURRENCY, type Cart, type PricedLine } from './model.js';
import type { PromoQuote } from './promotions.js';
import type { CartRepository } from './repository.js';
import type { StockHolds } from './stockHolds.js';

export interface CartItemArgs {
  cartId?: string | null;
  productId: string;
  /** The variant of the line; see `addToCart`, `updateCartItem` in the schema. */
  variantId?: string | null;
  quantity: number;
}

// Longer than any code orders accepts; longer input is refused before anyone is asked.
const PROMO_CODE_MAX_LENGTH = 64;

// Writers on other replicas retry their compare-and-set (or wait out the cart's lock); past this
// many refusals they get CONFLICT. Counted in attempts, not time, so a slow machine does not turn
// waiting into failing: every stale refusal means another writer landed, and a busy lock ends
// when its holder releases it or its TTL runs out. With pauses growing to 100 ms, the attempts
// take about as long as a lock's TTL (repository.ts), so only a cart that other writers keep
// taking, not one slow holder, ends in CONFLICT.
const MAX_WRITE_ATTEMPTS = 100;

/** A cart as the operation found it; `claimed` is false for a user cart whose id the user's pointer does not name yet. */
interface CartState {
  cart: Cart;
  claimed: boolean;
}

/** Where an operation applies, found before anything is written. */
interface Plan {
  /** The signed-in caller's id; null for a guest cart. */
  userId: string | null;
  /** The cart to change, as first read. */
  start: CartState;
  /** A guest cart a signed-in caller passed: merged into their cart before the operation. */
  guest: Cart | null;
}

interface Operation {
  /** An anonymous caller without a cart id gets a new guest cart (else BAD_USER_INPUT). */
  createGuest?: boolean;
  /** Products the operation names: priced in the same catalog request as the cart's. */
  productIds?: readonly string[];
  /** Whether the change needs the cart's prices (to drop products the catalog no longer knows). */
  pricesLines: boolean;
  /** Checks against current prices before anything is written (a merge included). */
  validate?: (prices: Prices) => void;
  /** Asynchronous checks against the cart as it is being changed (re-run if the write is retried). */
  prepare?: (cart: Cart, prices: Prices) => Promise<void>;
  change: (cart: Cart, prices: Prices, now: string) => Cart;
}

export type CartService = ReturnType<typeof createCartService>;

/** Domain flow and authorization. Every method takes the request context first. */
export function createCartService(deps: { repository: CartRepository; stock: StockHolds; logger: Logger }) {
  const { repository, stock, logger } = deps;
  const now = () => new Date().toISOString();
  // Writes to one cart from this process run one after another (in arrival order), so they never
  // race each other for the store's lock; its lock and compare-and-set order writers across replicas.
  const writers = new AsyncLock();

  /**
   * Runs `task` after this process's other writes to the carts it may touch: the caller's own
   * cart (by user, as its id may not exist yet) and the cart named by `cartId`. Keys are taken
   * in that order everywhere, so no two writers wait for each other in a cycle.
   */
  function serialized<T>(ctx: CartContext, cartId: string | null | undefined, task: () => Promise<T>): Promise<T> {
    const keys = [...(ctx.caller ? [`user:${ctx.caller.userId}`] : []), ...(cartId != null ? [`cart:${cartId}`] : [])];
    return keys.length === 0 ? task() : writers.acquire(keys, task);
  }

  /** Current prices through the request's loader, so all carts of a request share one catalog call. */
  async function pricesFor(ctx: CartContext, productIds: Iterable<string>): Promise<Prices> {
    const ids = [...new Set(productIds)];
    const loaded = await ctx.loaders.priceByProductId.loadMany(ids);
    const prices = new Map<string, CatalogPrice | null>();
    ids.forEach((id, i) => {
      const price = loaded[i];
      if (price instanceof Error) throw price;
      prices.set(id, price ?? null);
    });
    return prices;
  }

  /** The user's cart: the stored one, else an empty one under the id their pointer names or a fresh one. */
  async function userCart(userId: string): Promise<CartState> {
    const id = await repository.findUserCartId(userId);
    if (id === null) return { cart: emptyCart(newCartId(), userId, now()), claimed: false };
    const [stored] = await repository.findByIds([id]);
    // The pointer is written before its cart and both expire on their own, so it may name nothing yet.
    return { cart: stored ?? emptyCart(id, userId, now()), claimed: true };
  }

  async function reload(plan: Plan, state: CartState): Promise<CartState> {
    if (plan.userId !== null) return userCart(plan.userId);
    const [stored] = await repository.findByIds([state.cart.id]);
    if (stored) return { cart: stored, claimed: true };
    // A new guest cart is not stored until its first write; an old one was merged or expired meanwhile.
    if (state.cart.version === 0) return state;
    throw cartNotFound(state.cart.id, 'cartId');
  }

  /** The sum of the lines; an empty cart's is zero in the shopper's currency. */
  async function subtotalOfLines(ctx: CartContext, lines: readonly PricedLine[]): Promise<Money> {
    return subtotalOf(lines, (await ctx.loaders.shopperCurrency()) ?? EMPTY_CART_CURRENCY);
  }

  /** The lines clients see (of a cart or a hold), at current prices. */
  async function items(ctx: CartContext, cart: Pick<Cart, 'lines'>): Promise<PricedLine[]> {
    return pricedLines(cart, await pricesFor(ctx, productIdsOf(cart)));
  }

  /** Reads which cart an operation applies to; writes nothing. */
  async function planFor(ctx: CartContext, cartId: string | null | undefined, field: string, createGuest = false): Promise<Plan> {
    if (ctx.authError) throw ctx.authError;
    const caller = ctx.caller;
    if (caller) {
      const [[given], own] = await Promise.all([cartId != null ? repository.findByIds([cartId]) : [null], userCart(caller.userId)]);
      if (given && given.userId !== null && given.userId !== caller.userId) throw cartNotFound(cartId!, field);
      // An id that matches nothing is taken for a guest cart merged or expired already: the caller's own cart.
      return { userId: caller.userId, start: own, guest: given && given.userId === null ? given : null };
    }
    if (cartId != null) {
      const [given] = await repository.findByIds([cartId]);
      if (!given || given.userId !== null) throw cartNotFound(cartId, field);
      return { userId: null, start: { cart: given, claimed: true }, guest: null };
    }
    if (createGuest) return { userId: null, start: { cart: emptyCart(newCartId(), null, now()), claimed: true }, guest: null };
    throw badUserInput("Pass the guest cart's id as cartId, or sign in", field);
  }

  /**
   * Applies `change` by compare-and-set: read, change, write only if nobody wrote in between,
   * else read again and re-apply. So concurrent changes to one cart all land, none is lost.
   */
  async function write(ctx: CartContext, plan: Plan, start: CartState, op: Operation): Promise<Cart> {
    let state = start;
    for (let attempt = 1; ; attempt += 1) {
      const cart = state.cart;
      const prices = await pricesFor(ctx, op.pricesLines ? [...(op.productIds ?? []), ...productIdsOf(cart)] : []);
      await op.prepare?.(cart, prices);
      const next = op.change(cart, prices, now());
      // Unchanged and stored: nothing to write. A cart not stored yet is, so its id is real.
      if (next === cart && cart.version > 0) return cart;
      if (state.claimed || (await repository.claimUserCart(plan.userId!, cart.id)) === cart.id) {
        const result = await repository.save(next);
        if ('saved' in result) {
          ctx.loaders.cartById.clear(cart.id).prime(cart.id, result.saved);
          return result.saved;
        }
        if (attempt >= MAX_WRITE_ATTEMPTS) throw busyCart();
        if (result.refused === 'busy') await backoff(attempt);
      }
      // Someone else wrote first (or created the user's cart first): start from what they stored.
      state = await reload(plan, state);
    }
  }

  /**
   * Moves a guest cart into the signed-in user's cart and deletes it. The guest cart's lock is
   * held throughout, so an add to it meanwhile waits and then finds it gone (NOT_FOUND) instead
   * of landing in a cart about to be deleted.
   */
  async function mergeGuest(ctx: CartContext, plan: Plan, guest: Cart): Promise<CartState> {
    for (let attempt = 1; ; attempt += 1) {
      const lock = await repository.lock(guest.id);
      if (!lock) {
        if (attempt >= MAX_WRITE_ATTEMPTS) throw busyCart();
        await backoff(attempt);
        continue;
      }
      try {
        const [current] = await repository.findByIds([guest.id]);
        // Merged by a concurrent request (or expired) meanwhile: nothing left to move.
        if (!current || current.userId !== null) return userCart(plan.userId!);
        const cart = await write(ctx, plan, plan.start, {
          productIds: productIdsOf(current),
          pricesLines: true,
          change: (own, prices, at) => mergeLines(own, current, prices, at),
        });
        await moveHold(ctx, current.id, cart);
        // Refused only if our lock ran out meanwhile: the guest cart then stays until it expires,
        // and is recorded as merged, so merging it again adds nothing.
        await repository.remove(current, lock);
        ctx.loaders.cartById.clear(guest.id).prime(guest.id, null);
        return { cart, claimed: true };
      } finally {
        await lock.release();
      }
    }
  }

  /**
   * A guest cart's hold (`holdCart`) goes with its lines: inventory gives it back and holds the
   * merged cart's lines instead, in one transaction. When inventory cannot be reached the sign-in
   * goes on: the guest's hold lapses on its own and the shopper holds the merged cart at checkout.
   */
  async function moveHold(ctx: CartContext, guestId: string, cart: Cart): Promise<void> {
    const lines = unitsByProduct(await items(ctx, cart));
    if (lines.length === 0) return;
    try {
      await stock.move(guestId, cart.id, lines);
    } catch (error) {
      logger.warn("guest cart's hold not moved to the merged cart", { guestCartId: guestId, cartId: cart.id, error });
    }
  }

  function operate(ctx: CartContext, cartId: string | null | undefined, op: Operation): Promise<Cart> {
    // Planned inside the queue, so a queued writer starts from what the one before it stored.
    return serialized(ctx, cartId, async () => {
      const plan = await planFor(ctx, cartId, 'cartId', op.createGuest);
      if (op.pricesLines || plan.guest) {
        // One catalog request for the named product and every product of every cart involved.
        const prices = await pricesFor(ctx, [...(op.productIds ?? []), ...productIdsOf(plan.start.cart), ...productIdsOf(plan.guest)]);
        op.validate?.(prices);
      }
      const start = plan.guest ? await mergeGuest(ctx, plan, plan.guest) : plan.start;
      return write(ctx, plan, start, op);
    });
  }

  return {
    /** Query.cart; see the schema for who gets which cart. Reading restarts the cart's TTL. */
    async cart(ctx: CartContext, id: string | null | undefined): Promise<Cart | null> {
      if (ctx.authError) throw ctx.authError;
      if (!ctx.caller && id == null) return null;
      const plan = await planFor(ctx, id, 'id');
      if (plan.guest) {
        const guest = plan.guest;
        await pricesFor(ctx, [...productIdsOf(plan.start.cart), ...productIdsOf(guest)]);
        const { cart } = await serialized(ctx, id, () => mergeGuest(ctx, plan, guest));
        return cart.version === 0 ? null : cart;
      }
      const { cart } = plan.start;
      // A signed-in user without a cart yet.
      if (cart.version === 0) return null;
      await repository.touch(cart);
      return cart;
    },

    /** `_entities` for Cart: a guest cart for anyone who knows its id, a user cart for its owner; null otherwise. */
    async reference(ctx: CartContext, id: string): Promise<Cart | null> {
      const cart = await ctx.loaders.cartById.load(id);
      if (!cart) return null;
      return cart.userId === null || cart.userId === ctx.caller?.userId ? cart : null;
    },

    addToCart(ctx: CartContext, args: CartItemArgs): Promise<Cart> {
      assertProductId(args.productId);
      assertVariantId(args.variantId);
      assertQuantity(args.quantity, { allowZero: false });
      const variantId = args.variantId ?? null;
      return operate(ctx, args.cartId, {
        createGuest: true,
        productIds: [args.productId],
        pricesLines: true,
        // Refused before a guest cart is merged: an unknown product, a variant it does not have.
        validate: (prices) => void chosenPrice(prices, { productId: args.productId, variantId }),
        change: (cart, prices, at) => addLine(cart, args.productId, args.quantity, prices, at, variantId),
      });
    },

    updateCartItem(ctx: CartContext, args: CartItemArgs): Promise<Cart> {
      assertProductId(args.productId);
      assertVariantId(args.variantId);
      assertQuantity(args.quantity, { allowZero: true });
      return operate(ctx, args.cartId, {
        pricesLines: true,
        change: (cart, prices, at) => setLineQuantity(cart, args.productId, args.quantity, prices, at, args.variantId),
      });
    },

    removeCartItem(ctx: CartContext, args: Omit<CartItemArgs, 'quantity'>): Promise<Cart> {
      assertProductId(args.productId);
      assertVariantId(args.variantId);
      return operate(ctx, args.cartId, {
        pricesLines: true,
        change: (cart, prices, at) => removeLine(cart, args.productId, prices, at, args.variantId),
      });
    },

    clearCart(ctx: CartContext, args: { cartId?: string | null }): Promise<Cart> {
      return operate(ctx, args.cartId, { pricesLines: false, change: (cart, _prices, at) => clearLines(cart, at) });
    },

    mergeCart(ctx: CartContext, args: { guestCartId: string }): Promise<Cart> {
      requireCaller(ctx);
      return operate(ctx, args.guestCartId, { pricesLines: false, change: (cart) => cart });
    },

    /**
     * Applies a promotion code after asking orders what it is worth for this cart now; a code
     * that gives nothing (unknown, expired, used up, below its minimum, ...) is refused with the
     * reason (BAD_USER_INPUT, field `code`) and the cart keeps the code it had.
     */
    applyPromoCode(ctx: CartContext, args: { cartId?: string | null; code: string }): Promise<Cart> {
      const typed = args.code.trim();
      if (typed === '' || typed.length > PROMO_CODE_MAX_LENGTH) throw badUserInput('Enter the promo code as you received it', 'code');
      let accepted: string | null = null;
      return operate(ctx, args.cartId, {
        pricesLines: true,
        prepare: async (cart, prices) => {
          const quote = await ctx.loaders.promoQuote.load({ code: typed, subtotal: await subtotalOfLines(ctx, pricedLines(cart, prices)) });
          if (quote.status !== 'APPLIES') throw badUserInput(quote.message, 'code');
          accepted = quote.code;
        },
        change: (cart, _prices, at) => withPromoCode(cart, accepted, at),
      });
    },

    removePromoCode(ctx: CartContext, args: { cartId?: string | null }): Promise<Cart> {
      return operate(ctx, args.cartId, { pricesLines: false, change: (cart, _prices, at) => withPromoCode(cart, null, at) });
    },

    items,

    async subtotal(ctx: CartContext, cart: Cart): Promise<Money> {
      return subtotalOfLines(ctx, await items(ctx, cart));
    },

    /**
     * The applied code, judged again on every read against the cart as it is now: a cart that
     * fell below the minimum or a code that expired or was used up shows why it takes nothing off.
     */
    async promotion(ctx: CartContext, cart: Cart): Promise<PromoQuote | null> {
      if (!cart.promoCode) return null;
      return ctx.loaders.promoQuote.load({ code: cart.promoCode, subtotal: await subtotalOfLines(ctx, await items(ctx, cart)) });
    },

    /** What the applied code takes off the subtotal now; zero without one or when it does not apply. */
    async discount(ctx: CartContext, cart: Cart): Promise<Money> {
      const subtotal = await subtotalOfLines(ctx, await items(ctx, cart));
      const quote = cart.promoCode ? await ctx.loaders.promoQuote.load({ code: cart.promoCode, subtotal }) : null;
      return quote?.status === 'APPLIES' ? quote.discount : money(0, subtotal.currency);
    },

    async itemCount(ctx: CartContext, cart: Cart): Promise<number> {
      return (await items(ctx, cart)).reduce((count, line) => count + line.quantity, 0);
    },
  };
}

function productIdsOf(cart: Pick<Cart, 'lines'> | null): string[] {
  return cart ? cart.lines.map((line) => line.productId) : [];
}

function busyCart(): AppError {
  return conflict('The cart is being changed by another request; try again', { reason: 'CONCURRENT_UPDATE' });
}

function cartNotFound(id: string, field: string): AppError {
  return new AppError('NOT_FOUND', `Cart ${JSON.stringify(id)} not found`, { field });
}

/** A short random pause, growing with each attempt, so retrying writers spread out. */
function backoff(attempt: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 1 + Math.random() * Math.min(100, 2 ** attempt)));
}

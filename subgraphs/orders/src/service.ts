import { badUserInput, conflict, forbidden, notFound } from '@shop/errors';
import { add, money, multiply, sum, type Money } from '@shop/money';
import { pageSize, requireAdmin, requireCaller, type Caller } from '@shop/subgraph-kit';
import type { Catalog } from './catalog.js';
import { cartLines, CHECKOUT_LIMITS, priceLines, sameUnits, unitsByProduct } from './checkoutLines.js';
import type { OrdersContext } from './context.js';
import type { Inventory } from './inventory.js';
import type { Order, OrderLine, OrderStatusChange, PageRequest } from './model.js';
import { orderIdFor } from './orderId.js';
import { decodeOrderCursor, toOrderConnection, type OrderConnection } from './pagination.js';
import type { PromotionsService } from './promotions.js';
import { PromotionRefusedError } from './promotionsRepository.js';
import type { NewOrder, OrdersRepository } from './repository.js';
import { CUSTOMER_CANCELLABLE, type OrderStatus } from './statusMachine.js';
import type { Storefront } from './storefront.js';

export interface CheckoutInput {
  cartId: string;
  shippingAddressId: string;
  shippingMethodId: string;
  idempotencyKey: string;
}

export interface PageArgs {
  first?: number | null;
  after?: string | null;
  status?: OrderStatus | null;
}


// A concurrent status change makes a transition retry against the fresh status; this bounds it.
const TRANSITION_ATTEMPTS = 3;

export type OrdersService = ReturnType<typeof createOrdersService>;

/** Domain rules and authorization. Every method takes the request context first. */
export function createOrdersService(deps: {
  repository: OrdersRepository;
  catalog: Catalog;
  storefront: Storefront;
  inventory: Inventory;
  promotions: PromotionsService;
}) {
  const { repository, catalog, storefront, inventory, promotions } = deps;

  /** The order if the caller may see it: its customer or an ADMIN. Anyone else: null, as if it did not exist. */
  async function visibleOrder(ctx: OrdersContext, id: string): Promise<Order | null> {
    const order = await ctx.loaders.orderById.load(id);
    return order && ctx.caller && canSee(ctx.caller, order) ? order : null;
  }

  /** Replays an earlier checkout with the same key, refusing one that asked for something else. */
  function replay(ctx: OrdersContext, existing: Order, input: CheckoutInput): Order {
    const same =
      existing.cartId === input.cartId &&
      existing.shippingAddress.addressId === input.shippingAddressId &&
      existing.shippingMethodId === input.shippingMethodId;
    if (!same) throw conflict('This idempotency key was already used for a different order', { reason: 'IDEMPOTENCY_KEY_REUSED', field: 'input.idempotencyKey' });
    ctx.loaders.orderById.prime(existing.id, existing);
    return existing;
  }

  /**
   * Moves an order the caller may see to `to`: `check` applies the command's own rules, the
   * status machine the general ones (CONFLICT). A concurrent change makes it decide again on
   * the fresh status, a bounded number of times.
   */
  async function changeStatus(
    ctx: OrdersContext,
    id: string,
    to: OrderStatus,
    options: { check?: (caller: Caller, order: Order) => void; reason: string | null },
  ): Promise<Order> {
    const caller = requireCaller(ctx);
    let order = await visibleOrder(ctx, id);
    for (let attempt = 1; ; attempt += 1) {
      if (!order) throw notFound('Order', id);
      options.check?.(caller, order);
      // The repository holds every move to the status machine (CONFLICT when it is illegal).
      const changed = await repository.transition(order.id, order.status, to, caller.userId, options.reason);
      if (changed) {
        ctx.loaders.orderById.clear(id).prime(id, changed);
        ctx.loaders.historyByOrderId.clear(id);
        return changed;
      }
      if (attempt === TRANSITION_ATTEMPTS) throw conflict('The order is changing right now; try again', { reason: 'CONCURRENT_UPDATE' });
      // Someone moved it meanwhile: decide again on its fresh status.
      [order = null] = await repository.findByIds([order.id]);
    }
  }

  /**
   * Gives back the stock of an order checkout could not write. Not when an order holds the id
   * after all (a concurrent request with the same key stored it): the stock is that order's.
   */
  async function releaseAfterFailure(ctx: OrdersContext, orderId: string): Promise<void> {
    try {
      if (await repository.findById(orderId)) return;
      await inventory.release(ctx.authorization, orderId);
    } catch (error) {
      ctx.logger.error('reservation of a failed checkout not released; it will expire', { orderId, error });
    }
  }

  return {
    async order(ctx: OrdersContext, id: string): Promise<Order> {
      requireCaller(ctx);
      const order = await visibleOrder(ctx, id);
      if (!order) throw notFound('Order', id);
      return order;
    },

    /** `_entities` for Order: null for an order the caller may not see, never an error. */
    reference(ctx: OrdersContext, id: string): Promise<Order | null> {
      return visibleOrder(ctx, id);
    },

    async allOrders(ctx: OrdersContext, args: PageArgs): Promise<OrderConnection> {
      requireAdmin(ctx);
      const request = pageRequest(args);
      const page = await repository.page(request);
      // Counting is a query of its own, so it runs only when `totalCount` is selected.
      return toOrderConnection({ ...page, totalCount: () => repository.count(request.status) });
    },

    /** `withLines`: the query asks for the orders' items, which are then read with the page. */
    async ordersOfUser(ctx: OrdersContext, userId: string, args: PageArgs, withLines = false): Promise<OrderConnection> {
      const caller = requireCaller(ctx);
      if (caller.role !== 'ADMIN' && caller.userId !== userId) throw forbidden('You may only see your own orders');
      return toOrderConnection(await ctx.loaders.ordersByUserId.load({ userId, ...pageRequest(args), lines: withLines }));
    },

    /** An order's lines: those read with it, at once (no promise per order), else through the loader. */
    lines(ctx: OrdersContext, order: Order): OrderLine[] | Promise<OrderLine[]> {
      return order.lines ?? ctx.loaders.itemsByOrderId.load(order.id);
    },

    history(ctx: OrdersContext, order: Order): Promise<OrderStatusChange[]> {
      return ctx.loaders.historyByOrderId.load(order.id);
    },

    /**
     * Places the caller's cart as an order at the catalog's prices, in status PENDING_PAYMENT:
     * one router request for cart, address and shipping rate, one products request for prices,
     * then stock is reserved at inventory under the order's id, then the order, its lines, its
     * history and its `order.placed` event are written in one transaction (or the reservation
     * is given back). The same idempotency key returns the order it created before (without
     * asking anyone again), also when two requests race: both reserve under the same order id,
     * which inventory answers once, and only one order is stored.
     */
    async checkout(ctx: OrdersContext, input: CheckoutInput): Promise<Order> {
      const caller = requireCaller(ctx);
      validateCheckout(input);

      const earlier = await repository.findByIdempotencyKey(caller.userId, input.idempotencyKey);
      if (earlier) return replay(ctx, earlier, input);

      const details = await storefront.checkoutDetails(ctx.authorization, {
        cartId: input.cartId,
        addressId: input.shippingAddressId,
        methodId: input.shippingMethodId,
      });
      const requested = cartLines(details.cart, input.cartId);
      const address = details.address;
      if (!address) {
        throw badUserInput(`You have no saved address ${JSON.stringify(input.shippingAddressId)}`, 'input.shippingAddressId');
      }
      const rate = details.rate;
      if (!rate) {
        throw badUserInput(
          `Shipping method ${JSON.stringify(input.shippingMethodId)} is not offered for this cart and address`,
          'input.shippingMethodId',
        );
      }

      // In the cart's currency (the shopper's preference, else the store's), as the cart showed it.
      const priced = await priceLines(catalog, requested, details.cart!.currency);
      const currency = priced[0]!.unitPrice.currency;
      if (rate.currency !== currency) {
        throw badUserInput(
          `Shipping method ${JSON.stringify(rate.id)} is priced in ${rate.currency}, the cart in ${currency}`,
          'input.shippingMethodId',
        );
      }
      const lineTotals = priced.map((line) => multiply(line.unitPrice, line.quantity));
      const subtotal = sum(lineTotals, currency);
      const shipping = money(rate.priceMinor, currency);
      // The cart's code, refused (field `code`) before any stock is held when it gives nothing now.
      const promo = await promotions.checkoutDiscount(ctx, details.cart!.promoCode, lineTotals, shipping);
      const discount = promo?.discount ?? money(0, currency);
      const total = subtract(add(subtotal, shipping), discount);

      const orderId = orderIdFor(caller.userId, input.idempotencyKey);
      const lines = priced.map((line, i) => ({
        productId: line.productId,
        variant: line.variant,
        quantity: line.quantity,
        unitPriceMinor: line.unitPrice.minor,
        discountMinor: promo?.lineShares[i] ?? 0,
      }));
      // The cart's hold, if the shopper made one, becomes this order's reservation.
      // Stock is per product (inventory keeps no variants): a product's lines reserve its units together.
      const units = unitsByProduct(lines);
      const reservation = await inventory.reserve(ctx.authorization, orderId, units, details.cart!.id);
      if (!reservation.ok) {
        const productIds = reservation.shortages.map((s) => s.productId);
        throw conflict(`Out of stock: ${productIds.join(', ')}`, {
          reason: 'OUT_OF_STOCK',
          field: 'input.cartId',
          productIds,
          products: reservation.shortages,
        });
      }
      if (!sameUnits(reservation.items, units)) {
        // A concurrent checkout with this key reserved a different cart under the same order id.
        throw conflict('A checkout with this idempotency key is already under way for other items; try again', {
          reason: 'IDEMPOTENCY_KEY_REUSED',
          field: 'input.idempotencyKey',
        });
      }

      const draft: NewOrder = {
        id: orderId,
        userId: caller.userId,
        idempotencyKey: input.idempotencyKey,
        cartId: input.cartId,
        currency,
        subtotalMinor: subtotal.minor,
        shippingMinor: shipping.minor,
        discountMinor: discount.minor,
        totalMinor: total.minor,
        shippingMethodId: rate.id,
        shippingAddress: address,
        lines,
        promotion: promo?.promotion ?? null,
      };
      let created: Order | null;
      try {
        created = await repository.create(draft, caller.userId);
      } catch (error) {
        await releaseAfterFailure(ctx, orderId);
        // Concurrent checkouts took the code's last use between our quote and our transaction.
        if (error instanceof PromotionRefusedError) throw promotions.refusedAtCheckout(error, promo!.promotion.code);
        throw error;
      }
      if (!created) {
        // A concurrent request with the same key stored its order first.
        const winner = await repository.findByIdempotencyKey(caller.userId, input.idempotencyKey);
        if (!winner) throw new Error('Idempotency key conflicted but no order holds it');
        return replay(ctx, winner, input);
      }
      ctx.loaders.orderById.prime(created.id, created);
      try {
        await storefront.clearCart(ctx.authorization, input.cartId);
      } catch (error) {
        ctx.logger.warn('cart not cleared after checkout', { orderId: created.id, cartId: input.cartId, error });
      }
      return created;
    },

    /** Its customer may cancel while nothing has been done with it; an ADMIN while the state machine allows. */
    cancel(ctx: OrdersContext, id: string): Promise<Order> {
      return changeStatus(ctx, id, 'CANCELLED', {
        check: (caller, order) => {
          if (caller.role !== 'ADMIN' && !CUSTOMER_CANCELLABLE.includes(order.status)) {
            throw conflict(`An order that is ${order.status} can no longer be cancelled; please contact support`, {
              reason: 'ILLEGAL_TRANSITION',
              status: order.status,
              from: order.status,
              to: 'CANCELLED',
            });
          }
        },
        reason: ctx.caller?.role === 'ADMIN' ? 'cancelled by an admin' : 'cancelled by the customer',
      });
    },

    /** Its customer asks to send a delivered order back. */
    requestReturn(ctx: OrdersContext, id: string, reason: string | null | undefined): Promise<Order> {
      const why = reason?.trim() || null;
      if (why !== null && why.length > CHECKOUT_LIMITS.maxReturnReasonLength) {
        throw badUserInput(`reason must be at most ${CHECKOUT_LIMITS.maxReturnReasonLength} characters`, 'reason');
      }
      return changeStatus(ctx, id, 'RETURN_REQUESTED', {
        check: (caller, order) => {
          if (caller.userId !== order.userId) throw forbidden('Only the customer who placed an order may return it');
        },
        reason: why,
      });
    },

    /** ADMIN: the warehouse starts picking a paid order. */
    fulfil(ctx: OrdersContext, id: string): Promise<Order> {
      requireAdmin(ctx);
      return changeStatus(ctx, id, 'FULFILLING', { reason: 'fulfilment started' });
    },

    /** ADMIN: the money for a returned order has been given back. */
    refund(ctx: OrdersContext, id: string): Promise<Order> {
      requireAdmin(ctx);
      return changeStatus(ctx, id, 'REFUNDED', { reason: 'refunded by an admin' });
    },
  };
}

function canSee(caller: Caller, order: Order): boolean {
  return caller.role === 'ADMIN' || caller.userId === order.userId;
}

function pageRequest(args: PageArgs): PageRequest {
  return { first: pageSize(args.first), after: decodeOrderCursor(args.after), status: args.status ?? null };
}

function validateCheckout(input: CheckoutInput): void {
  const limits = CHECKOUT_LIMITS;
  const keyLength = input.idempotencyKey.length;
  if (keyLength < limits.minKeyLength || keyLength > limits.maxKeyLength) {
    throw badUserInput(
      `idempotencyKey must be ${limits.minKeyLength} to ${limits.maxKeyLength} characters`,
      'input.idempotencyKey',
    );
  }
  for (const field of ['cartId', 'shippingAddressId', 'shippingMethodId'] as const) {
    const value = input[field];
    if (value.trim() === '' || value.length > limits.maxIdLength) {
      throw badUserInput(`${field} must be 1 to ${limits.maxIdLength} characters`, `input.${field}`);
    }
  }
}

function subtract(a: Money, b: Money): Money {
  return add(a, money(-b.minor, b.currency));
}

import { badUserInput, conflict, forbidden, notFound } from '@shop/errors';
import { money, multiply, sum } from '@shop/money';
import { requireAdmin, requireCaller, type Caller } from '@shop/subgraph-kit';
import type { Catalog } from './catalog.js';
import type { OrdersContext } from './context.js';
import type { Order, OrderLine, OrderStatusChange, PageRequest } from './model.js';
import { decodeCursor, pageSize, toConnection, type OrderConnection } from './pagination.js';
import type { NewOrder, OrdersRepository } from './repository.js';
import { assertTransition, CUSTOMER_CANCELLABLE, type OrderStatus } from './statusMachine.js';

export interface CheckoutInput {
  idempotencyKey: string;
  items: Array<{ productId: string; quantity: number }>;
}

export interface PageArgs {
  first?: number | null;
  after?: string | null;
  status?: OrderStatus | null;
}

export const CHECKOUT_LIMITS = {
  maxItems: 50,
  minQuantity: 1,
  maxQuantity: 99,
  minKeyLength: 8,
  maxKeyLength: 100,
  maxProductIdLength: 200,
} as const;

// A concurrent status change makes a transition retry against the fresh status; this bounds it.
const TRANSITION_ATTEMPTS = 3;

export type OrdersService = ReturnType<typeof createOrdersService>;

/** Domain rules and authorization. Every method takes the request context first. */
export function createOrdersService(deps: { repository: OrdersRepository; catalog: Catalog }) {
  const { repository, catalog } = deps;

  /** The order if the caller may see it: its customer or an ADMIN. Anyone else: null, as if it did not exist. */
  async function visibleOrder(ctx: OrdersContext, id: string): Promise<Order | null> {
    const order = await ctx.loaders.orderById.load(id);
    return order && ctx.caller && canSee(ctx.caller, order) ? order : null;
  }

  /** Replays an earlier checkout with the same key, refusing one that asked for something else. */
  async function replay(ctx: OrdersContext, existing: Order, requested: RequestedLine[]): Promise<Order> {
    const lines = await ctx.loaders.itemsByOrderId.load(existing.id);
    if (!sameLines(lines, requested)) {
      throw conflict('This idempotency key was already used for a different order', { field: 'input.idempotencyKey' });
    }
    return existing;
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
      return toConnection({ ...page, totalCount: () => repository.count(request.status) });
    },

    async ordersOfUser(ctx: OrdersContext, userId: string, args: PageArgs): Promise<OrderConnection> {
      const caller = requireCaller(ctx);
      if (caller.role !== 'ADMIN' && caller.userId !== userId) throw forbidden('You may only see your own orders');
      return toConnection(await ctx.loaders.ordersByUserId.load({ userId, ...pageRequest(args) }));
    },

    lines(ctx: OrdersContext, order: Order): Promise<OrderLine[]> {
      return ctx.loaders.itemsByOrderId.load(order.id);
    },

    history(ctx: OrdersContext, order: Order): Promise<OrderStatusChange[]> {
      return ctx.loaders.historyByOrderId.load(order.id);
    },

    /**
     * Places an order at the catalog's prices. The same idempotency key returns the order it
     * created before (without asking the catalog again), also when two requests race.
     */
    async checkout(ctx: OrdersContext, input: CheckoutInput): Promise<Order> {
      const caller = requireCaller(ctx);
      const requested = validateCheckout(input);

      const earlier = await repository.findByIdempotencyKey(caller.userId, input.idempotencyKey);
      if (earlier) return replay(ctx, earlier, requested);

      const prices = await catalog.pricesFor(requested.map((line) => line.productId));
      const priced = requested.map((line) => {
        const price = prices.get(line.productId);
        if (!price) {
          throw badUserInput(`Product ${JSON.stringify(line.productId)} does not exist`, `input.items[${line.index}].productId`);
        }
        return { ...line, unitPrice: money(price.minor, price.currency) };
      });
      const currency = priced[0]!.unitPrice.currency;
      const foreign = priced.find((line) => line.unitPrice.currency !== currency);
      if (foreign) {
        throw badUserInput(
          `All products of an order must have the same currency: ${JSON.stringify(foreign.productId)} is priced in ` +
            `${foreign.unitPrice.currency}, ${JSON.stringify(priced[0]!.productId)} in ${currency}`,
          'input.items',
        );
      }
      const subtotal = sum(
        priced.map((line) => multiply(line.unitPrice, line.quantity)),
        currency,
      );
      const draft: NewOrder = {
        userId: caller.userId,
        idempotencyKey: input.idempotencyKey,
        currency,
        subtotalMinor: subtotal.minor,
        totalMinor: subtotal.minor,
        lines: priced.map((line) => ({ productId: line.productId, quantity: line.quantity, unitPriceMinor: line.unitPrice.minor })),
      };
      const created = await repository.create(draft, caller.userId);
      if (created) {
        ctx.loaders.orderById.prime(created.id, created);
        return created;
      }
      // A concurrent request with the same key stored its order first.
      const winner = await repository.findByIdempotencyKey(caller.userId, input.idempotencyKey);
      if (!winner) throw new Error('Idempotency key conflicted but no order holds it');
      return replay(ctx, winner, requested);
    },

    /** Its customer may cancel while nothing has been done with it; an ADMIN while the state machine allows. */
    async cancel(ctx: OrdersContext, id: string): Promise<Order> {
      const caller = requireCaller(ctx);
      let order = await visibleOrder(ctx, id);
      for (let attempt = 1; ; attempt += 1) {
        if (!order) throw notFound('Order', id);
        if (caller.role !== 'ADMIN' && !CUSTOMER_CANCELLABLE.includes(order.status)) {
          throw conflict(`An order that is ${order.status} can no longer be cancelled; please contact support`, {
            status: order.status,
          });
        }
        assertTransition(order.status, 'CANCELLED');
        const cancelled = await repository.transition(order.id, order.status, 'CANCELLED', caller.userId);
        if (cancelled) {
          ctx.loaders.orderById.clear(id).prime(id, cancelled);
          ctx.loaders.historyByOrderId.clear(id);
          return cancelled;
        }
        if (attempt === TRANSITION_ATTEMPTS) throw conflict('The order is changing right now; try again');
        // Someone moved it meanwhile: decide again on its fresh status.
        [order = null] = await repository.findByIds([order.id]);
      }
    },
  };
}

function canSee(caller: Caller, order: Order): boolean {
  return caller.role === 'ADMIN' || caller.userId === order.userId;
}

function pageRequest(args: PageArgs): PageRequest {
  return { first: pageSize(args.first), after: decodeCursor(args.after), status: args.status ?? null };
}

interface RequestedLine {
  productId: string;
  quantity: number;
  /** Where the product first appears in the input, to name the field in errors. */
  index: number;
}

/** Checks the input and merges repeated products into one line, keeping first-seen order. */
function validateCheckout(input: CheckoutInput): RequestedLine[] {
  const limits = CHECKOUT_LIMITS;
  const keyLength = input.idempotencyKey.length;
  if (keyLength < limits.minKeyLength || keyLength > limits.maxKeyLength) {
    throw badUserInput(
      `idempotencyKey must be ${limits.minKeyLength} to ${limits.maxKeyLength} characters`,
      'input.idempotencyKey',
    );
  }
  if (input.items.length === 0) throw badUserInput('An order needs at least one item', 'input.items');
  const lines = new Map<string, RequestedLine>();
  input.items.forEach((item, index) => {
    const productId = item.productId.trim();
    if (productId === '' || productId.length > limits.maxProductIdLength) {
      throw badUserInput('productId must be a product id', `input.items[${index}].productId`);
    }
    const quantity = (lines.get(productId)?.quantity ?? 0) + item.quantity;
    if (item.quantity < limits.minQuantity || quantity > limits.maxQuantity) {
      throw badUserInput(
        `quantity must be ${limits.minQuantity} to ${limits.maxQuantity} per product`,
        `input.items[${index}].quantity`,
      );
    }
    lines.set(productId, { productId, quantity, index: lines.get(productId)?.index ?? index });
  });
  if (lines.size > limits.maxItems) {
    throw badUserInput(`An order may hold at most ${limits.maxItems} different products`, 'input.items');
  }
  return [...lines.values()];
}

function sameLines(stored: readonly OrderLine[], requested: readonly RequestedLine[]): boolean {
  if (stored.length !== requested.length) return false;
  const quantities = new Map(stored.map((line) => [line.productId, line.quantity]));
  return requested.every((line) => quantities.get(line.productId) === line.quantity);
}

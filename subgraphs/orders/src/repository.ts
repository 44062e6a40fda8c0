import { sql, type Kysely } from 'kysely';
import { enqueueEvents, handleOnce, type EventEnvelope } from '@shop/events';
import type { OrdersDatabase } from './db/schema.js';
import { orderPlaced, orderStatusChanged } from './events.js';
import type { AddressSnapshot, Order, OrderLine, OrderPage, OrderStatusChange, PageRequest, VariantSnapshot } from './model.js';
import { statusOf, toLine, toLineOf, toOrder, type OrderRow } from './orderRows.js';
import { before, preparedPageStatements, type PageValues } from './pageStatement.js';
import { redeemPromotion, releasePromotion } from './promotionsRepository.js';
import { findRefundsByOrderIds, recordRefund, type RefundRequest, type RefundResult } from './refundsRepository.js';
import { variantColumns } from './variantColumns.js';
import { assertTransition, INITIAL_STATUS, type OrderStatus } from './statusMachine.js';

/** What checkout hands over to be stored: lines already priced, totals already summed. */
export interface NewOrder {
  /** Chosen by checkout before it reserves stock, so a retried checkout reuses it. */
  id: string;
  userId: string;
  idempotencyKey: string;
  cartId: string;
  currency: string;
  subtotalMinor: number;
  shippingMinor: number;
  discountMinor: number;
  totalMinor: number;
  shippingMethodId: string;
  shippingAddress: AddressSnapshot;
  /** Each line (a product, in one variant when chosen: null or absent otherwise) with its share of `discountMinor`. */
  lines: Array<{ productId: string; variant?: VariantSnapshot | null; quantity: number; unitPriceMinor: number; discountMinor: number }>;
  /** The code redeemed with the order, counted in the order's own transaction; null without one. */
  promotion: { id: string; code: string; perCustomerLimit: number | null } | null;
}

/** What a saga event asks of an order, decided from the order as it is now (locked). */
export type EventDecision =
  | { kind: 'transition'; to: OrderStatus; reason: string }
  /** A payment attempt failed: the order keeps waiting for payment, the failure is counted. */
  | { kind: 'paymentFailed' }
  /** Nothing to do; `why` is logged. */
  | { kind: 'ignore'; why: string };

export interface EventOutcome {
  /** False when this consumer had handled the event before (a redelivery): nothing was done. */
  handled: boolean;
  /** The order as the event found it; null when no such order exists. */
  order: Order | null;
  decision: EventDecision | null;
  /** The order after a status change made by this event. */
  changed: Order | null;
}

type Executor = Kysely<OrdersDatabase>;

export type OrdersRepository = ReturnType<typeof createOrdersRepository>;

// Order ids are PostgreSQL uuids; anything else cannot match and must not reach the driver,
// where it would be a cast error instead of "not found".
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isOrderId(value: string): boolean {
  return UUID.test(value);
}

/** The only code that touches the orders store. Reads are batch-shaped: many keys, one query. */
export function createOrdersRepository(db: Kysely<OrdersDatabase>) {
  const pageStatements = preparedPageStatements(db);
  return {
    async findByIds(ids: readonly string[]): Promise<Order[]> {
      const valid = ids.filter(isOrderId);
      if (valid.length === 0) return [];
      const rows = await db.selectFrom('orders').selectAll().where('id', 'in', valid).execute();
      return rows.map(toOrder);
    },

    async findById(id: string): Promise<Order | null> {
      if (!isOrderId(id)) return null;
      const row = await db.selectFrom('orders').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toOrder(row) : null;
    },

    async findByIdempotencyKey(userId: string, idempotencyKey: string): Promise<Order | null> {
      const row = await db
        .selectFrom('orders')
        .selectAll()
        .where('user_id', '=', userId)
        .where('idempotency_key', '=', idempotencyKey)
        .executeTakeFirst();
      return row ? toOrder(row) : null;
    },

    /** Lines of many orders, each order's in checkout order. */
    async findLinesByOrderIds(orderIds: readonly string[]): Promise<OrderLine[]> {
      if (orderIds.length === 0) return [];
      const rows = await db
        .selectFrom('order_items')
        .selectAll()
        .where('order_id', 'in', orderIds)
        .orderBy('order_id')
        .orderBy('position')
        .execute();
      return rows.map(toLine);
    },

    /** Line refunds of many orders, each order's oldest first. */
    findRefundsByOrderIds: (orderIds: readonly string[]) => findRefundsByOrderIds(db, orderIds),

    /** Records a line refund (refundsRepository.ts); null for an unknown order. */
    refund: (request: RefundRequest): Promise<RefundResult | null> => recordRefund(db, request),

    /** Status history of many orders, each order's oldest first. */
    async findHistoryByOrderIds(orderIds: readonly string[]): Promise<OrderStatusChange[]> {
      if (orderIds.length === 0) return [];
      const rows = await db
        .selectFrom('order_status_history')
        .selectAll()
        .where('order_id', 'in', orderIds)
        .orderBy('order_id')
        .orderBy('id')
        .execute();
      return rows.map((row) => ({
        orderId: row.order_id,
        status: statusOf(row.status),
        at: row.at,
        actor: row.actor,
        reason: row.reason,
      }));
    },

    /**
     * One page of orders for each of many users, in ONE statement: a lateral join runs the
     * per-user "newest first, after the cursor, limit n+1" on the (user_id, created_at) index,
     * and another counts each user's matches, once per user (as a scalar subquery in the select
     * list it ran once per order of the page: 50 counts of 50 for a page of 50). Returns one
     * page per user id, in order.
     * With `lines`, each order comes with its lines (`Order.lines`) from the same statement, as
     * a JSON array per order: one round trip and one snapshot instead of a second query.
     */
    async pageByUserIds(userIds: readonly string[], page: PageRequest, options: { lines?: boolean } = {}): Promise<OrderPage[]> {
      if (userIds.length === 0) return [];
      const values: PageValues = {
        userIds: [...new Set(userIds)],
        status: page.status,
        afterAt: page.after?.createdAt ?? null,
        afterId: page.after?.id ?? null,
        limit: page.first + 1,
      };
      const shape = { single: values.userIds.length === 1, status: page.status !== null, after: page.after !== null, lines: options.lines === true };
      const { rows } = await db.executeQuery(pageStatements.filled(shape, values));

      const pages = new Map<string, { orders: Order[]; totalCount: number }>();
      for (const row of rows) {
        const entry = pages.get(row.owner_id) ?? { orders: [], totalCount: Number(row.total_count ?? 0) };
        pages.set(row.owner_id, entry);
        // A user without matching orders still gets one row (the left join), with no order in it.
        if (row.id !== null) {
          const order = toOrder(row as OrderRow);
          if (row.lines) order.lines = row.lines.map((line) => toLineOf(order.id, line));
          entry.orders.push(order);
        }
      }
      return userIds.map((userId) => {
        const entry = pages.get(userId) ?? { orders: [], totalCount: 0 };
        return {
          orders: entry.orders.slice(0, page.first),
          hasNextPage: entry.orders.length > page.first,
          totalCount: entry.totalCount,
        };
      });
    },

    /** A page of everybody's orders, newest first. */
    async page(page: PageRequest): Promise<{ orders: Order[]; hasNextPage: boolean }> {
      const rows = await db
        .selectFrom('orders')
        .selectAll()
        .$if(page.status !== null, (qb) => qb.where('status', '=', page.status!))
        .$if(page.after !== null, (qb) => qb.where((w) => before(w, page.after!)))
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(page.first + 1)
        .execute();
      return { orders: rows.slice(0, page.first).map(toOrder), hasNextPage: rows.length > page.first };
    },

    async count(status: OrderStatus | null): Promise<number> {
      const row = await db
        .selectFrom('orders')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .$if(status !== null, (qb) => qb.where('status', '=', status!))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },

    /**
     * Stores an order, its promotion's redemption, its lines, its first history entry and its
     * `order.placed` event in one transaction. Returns null, having written nothing, when the
     * order id or the user's idempotency key is taken (also when a concurrent request stored it a
     * moment ago: the insert waits for that transaction and then does nothing). Throws
     * PromotionRefusedError, having written nothing, when the code has no use left for it.
     */
    async create(order: NewOrder, actor: string): Promise<Order | null> {
      return db.transaction().execute(async (trx) => {
        const row = await trx
          .insertInto('orders')
          .values({
            id: order.id,
            user_id: order.userId,
            status: INITIAL_STATUS,
            currency: order.currency,
            subtotal_minor: order.subtotalMinor,
            shipping_minor: order.shippingMinor,
            discount_minor: order.discountMinor,
            total_minor: order.totalMinor,
            idempotency_key: order.idempotencyKey,
            cart_id: order.cartId,
            shipping_method_id: order.shippingMethodId,
            shipping_address: JSON.stringify(order.shippingAddress),
            promo_code: order.promotion?.code ?? null,
          })
          .onConflict((oc) => oc.doNothing())
          .returningAll()
          .executeTakeFirst();
        if (!row) return null;
        if (order.promotion) {
          const { id: promotionId, perCustomerLimit } = order.promotion;
          await redeemPromotion(trx, { promotionId, perCustomerLimit, orderId: row.id, userId: order.userId });
        }
        await trx
          .insertInto('order_items')
          .values(
            order.lines.map((line, position) => ({
              order_id: row.id,
              position,
              product_id: line.productId,
              quantity: line.quantity,
              unit_price_minor: line.unitPriceMinor,
              currency: order.currency,
              discount_minor: line.discountMinor,
              ...variantColumns(line.variant ?? null),
            })),
          )
          .execute();
        await trx
          .insertInto('order_status_history')
          .values({ order_id: row.id, status: INITIAL_STATUS, at: row.created_at, actor })
          .execute();
        const created = toOrder(row);
        await enqueueEvents(trx, [orderPlaced(created, order.lines)]);
        return created;
      });
    },

    /**
     * Moves an order from `from` to `to`, appends the history entry and writes the
     * `order.status_changed` event, in one transaction. Refuses (CONFLICT) a move the status
     * machine does not allow. Returns null, changing nothing, when the order is no longer in
     * `from` (someone else moved it first), so two racing transitions can never both apply.
     */
    async transition(orderId: string, from: OrderStatus, to: OrderStatus, actor: string, reason: string | null = null): Promise<Order | null> {
      assertTransition(from, to);
      return db.transaction().execute((trx) => applyTransition(trx, orderId, from, to, actor, reason));
    },

    /**
     * Handles a saga event at most once for `consumer`: in one transaction it records the
     * event in the inbox, locks the order, asks `decide` what the event means for it, and
     * applies that (status change with history and outbox event, or a counted payment failure).
     * A redelivered event does nothing and reports `handled: false`.
     */
    async applyEvent(
      consumer: string,
      event: EventEnvelope,
      orderId: string,
      decide: (order: Order) => EventDecision,
    ): Promise<EventOutcome> {
      const outcome: EventOutcome = { handled: false, order: null, decision: null, changed: null };
      outcome.handled = await handleOnce(db, consumer, event, async (untyped) => {
        const trx = untyped as Executor;
        if (!isOrderId(orderId)) return;
        const row = await trx.selectFrom('orders').selectAll().where('id', '=', orderId).forUpdate().executeTakeFirst();
        if (!row) return;
        const order = toOrder(row);
        const decision = decide(order);
        outcome.order = order;
        outcome.decision = decision;
        if (decision.kind === 'transition') {
          assertTransition(order.status, decision.to);
          outcome.changed = await applyTransition(trx, order.id, order.status, decision.to, event.source, decision.reason);
        } else if (decision.kind === 'paymentFailed') {
          await trx
            .updateTable('orders')
            .set((eb) => ({ payment_failures: eb('payment_failures', '+', 1) }))
            .where('id', '=', order.id)
            .execute();
        }
      });
      return outcome;
    },
  };
}

export async function applyTransition(
  trx: Executor,
  orderId: string,
  from: OrderStatus,
  to: OrderStatus,
  actor: string,
  reason: string | null,
): Promise<Order | null> {
  // A whole refund (refundOrder, or one made at the payment provider) gives back all that was
  // charged and every unit; after line refunds, the rest of it. A line refund that completes the
  // order came to the total already.
  const refunded = to === 'REFUNDED';
  const row = await trx
    .updateTable('orders')
    .set((eb) => ({ status: to, updated_at: sql<Date>`now()`, ...(refunded ? { refunded_minor: eb.ref('total_minor') } : {}) }))
    .where('id', '=', orderId)
    .where('status', '=', from)
    .returningAll()
    .executeTakeFirst();
  if (!row) return null;
  if (refunded) {
    await trx.updateTable('order_items').set((eb) => ({ refunded_quantity: eb.ref('quantity') })).where('order_id', '=', orderId).execute();
  }
  await trx
    .insertInto('order_status_history')
    .values({ order_id: orderId, status: to, at: row.updated_at, actor, reason })
    .execute();
  if (to === 'CANCELLED') await releasePromotion(trx, orderId);
  const order = toOrder(row);
  await enqueueEvents(trx, [orderStatusChanged(order, from, row.updated_at, reason)]);
  return order;
}

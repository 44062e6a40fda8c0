import { sql, type Kysely, type Selectable } from 'kysely';
import { conflict } from '@shop/errors';
import { createEvent, enqueueEvents } from '@shop/events';
import type { OrderRefundsTable, OrdersDatabase } from './db/schema.js';
import type { Order, OrderRefund } from './model.js';
import { planRefund, REFUNDABLE, type RequestedRefundItem } from './refundRules.js';
import { toOrder } from './orderRows.js';
import { applyTransition } from './repository.js';

export interface RefundRequest {
  orderId: string;
  items: readonly RequestedRefundItem[];
  idempotencyKey: string;
  actor: string;
}

export interface RefundResult {
  refund: OrderRefund;
  order: Order;
  /** The order after the status change the refund made; null when its status stayed. */
  changed: Order | null;
  /** True when the key had been used for this refund before: nothing new was written. */
  replayed: boolean;
}

/**
 * Records a line refund in one transaction, under the order's row lock (concurrent refunds of
 * one order queue up, each planned on what the previous left): the refund row, the lines' and
 * the order's running totals, the status (PARTIALLY_REFUNDED, or REFUNDED once nothing is left)
 * and `order.refund_requested`, which payments turns into money. Null for an unknown order. A
 * key already used on the order answers that refund again, or CONFLICT when it named other items.
 */
export async function recordRefund(db: Kysely<OrdersDatabase>, request: RefundRequest): Promise<RefundResult | null> {
  return db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('orders').selectAll().where('id', '=', request.orderId).forUpdate().executeTakeFirst();
    if (!row) return null;
    const order = toOrder(row);
    const earlier = await trx
      .selectFrom('order_refunds')
      .selectAll()
      .where('order_id', '=', order.id)
      .where('idempotency_key', '=', request.idempotencyKey)
      .executeTakeFirst();
    if (earlier) {
      const refund = toRefund(earlier);
      if (!sameItems(refund.items, request.items)) {
        throw conflict('This idempotency key was already used for a refund of other items', { reason: 'IDEMPOTENCY_KEY_REUSED', field: 'idempotencyKey' });
      }
      return { refund, order, changed: null, replayed: true };
    }
    if (!REFUNDABLE.includes(order.status)) {
      throw conflict(`An order that is ${order.status} cannot be refunded line by line; the customer asks to return it first`, {
        reason: 'ILLEGAL_TRANSITION',
        status: order.status,
        from: order.status,
        to: 'PARTIALLY_REFUNDED',
      });
    }
    const lines = await trx.selectFrom('order_items').selectAll().where('order_id', '=', order.id).orderBy('position').execute();
    const plan = planRefund(
      order,
      lines.map((line) => ({
        productId: line.product_id,
        variantId: line.variant_id,
        quantity: line.quantity,
        unitPriceMinor: line.unit_price_minor,
        discountMinor: line.discount_minor,
        refundedQuantity: line.refunded_quantity,
      })),
      request.items,
    );
    const inserted = await trx
      .insertInto('order_refunds')
      .values({
        order_id: order.id,
        idempotency_key: request.idempotencyKey,
        amount_minor: plan.amountMinor,
        shipping_minor: plan.shippingMinor,
        currency: order.currency,
        items: JSON.stringify(plan.items),
        actor: request.actor,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    for (const item of plan.items) {
      await trx
        .updateTable('order_items')
        .set((eb) => ({ refunded_quantity: eb('refunded_quantity', '+', item.quantity) }))
        .where('order_id', '=', order.id)
        .where('product_id', '=', item.productId)
        .where(sql<boolean>`variant_id IS NOT DISTINCT FROM ${item.variantId ?? null}`)
        .execute();
    }
    const updated = await trx
      .updateTable('orders')
      .set((eb) => ({ refunded_minor: eb('refunded_minor', '+', plan.amountMinor), updated_at: sql<Date>`now()` }))
      .where('id', '=', order.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const refund = toRefund(inserted);
    await enqueueEvents(trx, [
      createEvent('orders', 'order.refund_requested', order.id, {
        refundId: refund.id,
        orderId: order.id,
        orderNumber: order.orderNumber,
        userId: order.userId,
        amountMinor: refund.amountMinor,
        shippingMinor: refund.shippingMinor,
        currency: refund.currency,
        items: refund.items,
      }),
    ]);
    const to = plan.completes ? 'REFUNDED' : 'PARTIALLY_REFUNDED';
    const changed = to === order.status ? null : await applyTransition(trx, order.id, order.status, to, request.actor, 'items refunded');
    return { refund, order: changed ?? toOrder(updated), changed, replayed: false };
  });
}

/** The refunds of many orders, each order's oldest first. */
export async function findRefundsByOrderIds(db: Kysely<OrdersDatabase>, orderIds: readonly string[]): Promise<OrderRefund[]> {
  if (orderIds.length === 0) return [];
  const rows = await db.selectFrom('order_refunds').selectAll().where('order_id', 'in', orderIds).orderBy('order_id').orderBy('created_at').orderBy('id').execute();
  return rows.map(toRefund);
}

function sameItems(stored: OrderRefund['items'], requested: readonly RequestedRefundItem[]): boolean {
  // An item without `variantId` named the product's line, whichever variant that line has.
  const matches = (item: OrderRefund['items'][number], asked: RequestedRefundItem) =>
    item.productId === asked.productId && item.quantity === asked.quantity && (asked.variantId == null || item.variantId === asked.variantId);
  return stored.length === requested.length && requested.every((asked) => stored.some((item) => matches(item, asked)));
}

function toRefund(row: Selectable<OrderRefundsTable>): OrderRefund {
  return {
    id: row.id,
    orderId: row.order_id,
    amountMinor: row.amount_minor,
    shippingMinor: row.shipping_minor,
    currency: row.currency,
    items: row.items,
    createdAt: row.created_at,
  };
}

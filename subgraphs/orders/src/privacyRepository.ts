import type { PrivacyParticipant } from '@shop/subgraph-kit';
import { sql, type Kysely } from 'kysely';
import type { OrdersDatabase } from './db/schema.js';
import { variantOf } from './variantColumns.js';

/**
 * Orders' part of privacy rights. An order is kept for accounting (amounts, lines, dates, status,
 * the country it went to, its promotion); what names or locates the person is erased: the
 * shipping address but its country, and the reasons the customer wrote (cancellations, returns).
 * `user_id` stays: it now names an anonymous tombstone in users, and per-customer promotion
 * limits count by it.
 */
export function createOrdersPrivacy(db: Kysely<OrdersDatabase>): PrivacyParticipant {
  return {
    async exportPart(userId) {
      const orders = await db.selectFrom('orders').selectAll().where('user_id', '=', userId).orderBy('created_at').execute();
      const ids = orders.map((order) => order.id);
      const [items, history] =
        ids.length === 0
          ? [[], []]
          : await Promise.all([
              db.selectFrom('order_items').selectAll().where('order_id', 'in', ids).orderBy('order_id').orderBy('position').execute(),
              db.selectFrom('order_status_history').selectAll().where('order_id', 'in', ids).orderBy('id').execute(),
            ]);
      return {
        orders: orders.map((order) => ({
          id: order.id,
          orderNumber: order.order_number,
          status: order.status,
          currency: order.currency,
          subtotalMinor: Number(order.subtotal_minor),
          shippingMinor: Number(order.shipping_minor),
          discountMinor: Number(order.discount_minor),
          totalMinor: Number(order.total_minor),
          promoCode: order.promo_code,
          shippingAddress: order.shipping_address,
          createdAt: order.created_at.toISOString(),
          items: items
            .filter((item) => item.order_id === order.id)
            .map((item) => {
              const variant = variantOf(item);
              const line = { productId: item.product_id, quantity: item.quantity, unitPriceMinor: Number(item.unit_price_minor), discountMinor: Number(item.discount_minor) };
              // The size or colour bought, on lines that have one.
              return variant ? { ...line, variant } : line;
            }),
          statusHistory: history
            .filter((change) => change.order_id === order.id)
            .map((change) => ({ status: change.status, at: change.at.toISOString(), reason: change.reason })),
        })),
      };
    },

    async erase(userId) {
      await db.transaction().execute(async (trx) => {
        await trx
          .updateTable('orders')
          .set({
            shipping_address: sql`jsonb_build_object('addressId', NULL, 'name', '', 'line1', '', 'line2', NULL, 'city', '', 'postalCode', '', 'country', shipping_address->>'country')`,
          })
          .where('user_id', '=', userId)
          .execute();
        await trx
          .updateTable('order_status_history')
          .set({ reason: null })
          .where('actor', '=', userId)
          .where('order_id', 'in', trx.selectFrom('orders').select('id').where('user_id', '=', userId))
          .execute();
      });
    },
  };
}

import type { PrivacyParticipant } from '@shop/subgraph-kit';
import { sql, type Kysely } from 'kysely';
import type { AnalyticsDatabase } from './db/schema.js';

/**
 * Analytics' part of privacy rights. Sales figures stay (they are about orders, not people). What
 * ties them to the person goes: their purchase history for `recommendedForMe`, the user id of
 * their order facts, and in the event log (which a rebuild replays) their user id, shipping
 * address and the reasons they wrote, so a rebuild never brings any of it back.
 */
export function createAnalyticsPrivacy(db: Kysely<AnalyticsDatabase>): PrivacyParticipant {
  return {
    async exportPart(userId) {
      const [purchases, orders] = await Promise.all([
        db.selectFrom('user_purchases').select(['product_id', 'units']).where('user_id', '=', userId).orderBy('product_id').execute(),
        db.selectFrom('order_facts').select(['order_id', 'sale_day', 'paid_minor', 'paid_currency']).where('user_id', '=', userId).orderBy('order_id').execute(),
      ]);
      return {
        purchasesForRecommendations: purchases.map((p) => ({ productId: p.product_id, units: p.units })),
        orderFacts: orders.map((o) => ({ orderId: o.order_id, saleDay: o.sale_day, paidMinor: o.paid_minor === null ? null : Number(o.paid_minor), currency: o.paid_currency })),
      };
    },

    async erase(userId) {
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('user_purchases').where('user_id', '=', userId).execute();
        await trx.updateTable('order_facts').set({ user_id: null }).where('user_id', '=', userId).execute();
        await sql`
          UPDATE event_log
          SET payload = jsonb_set(payload - 'shippingAddress' - 'reason', '{userId}', 'null')
          WHERE payload->>'userId' = ${userId}`.execute(trx);
      });
    },
  };
}

import type { PrivacyParticipant } from '@shop/subgraph-kit';
import type { Kysely } from 'kysely';
import type { PaymentsDatabase } from './db/schema.js';

/**
 * Payments' part of privacy rights. A payment is kept for accounting (amount, currency, status,
 * provider ids, dates): no card data is ever stored here (the provider holds it). What the
 * person could still be reached by goes: the client secret of an open intent and the provider's
 * failure text. `user_id` stays, naming users' anonymous tombstone.
 */
export function createPaymentsPrivacy(db: Kysely<PaymentsDatabase>): PrivacyParticipant {
  return {
    async exportPart(userId) {
      const payments = await db
        .selectFrom('payments')
        .select(['id', 'order_id', 'status', 'amount_minor', 'currency', 'provider', 'payment_method', 'failure_reason', 'created_at', 'updated_at'])
        .where('user_id', '=', userId)
        .orderBy('seq')
        .execute();
      return {
        payments: payments.map((p) => ({
          id: p.id,
          orderId: p.order_id,
          status: p.status,
          amountMinor: Number(p.amount_minor),
          currency: p.currency,
          provider: p.provider,
          paymentMethod: p.payment_method,
          failureReason: p.failure_reason,
          createdAt: p.created_at.toISOString(),
          updatedAt: p.updated_at.toISOString(),
        })),
      };
    },

    async erase(userId) {
      await db.updateTable('payments').set({ client_secret: null, failure_reason: null }).where('user_id', '=', userId).execute();
    },
  };
}

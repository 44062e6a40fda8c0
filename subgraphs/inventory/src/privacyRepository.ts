import type { PrivacyParticipant } from '@shop/subgraph-kit';
import type { Kysely } from 'kysely';
import type { InventoryDatabase } from './db/schema.js';

/**
 * Inventory's part of privacy rights: the stock reservations a customer's checkouts made. They
 * are stock accounting (which order held which units when) and say nothing about the person
 * beyond users' id, which names an anonymous tombstone after the deletion: nothing to erase.
 */
export function createInventoryPrivacy(db: Kysely<InventoryDatabase>): PrivacyParticipant {
  return {
    async exportPart(userId) {
      const reservations = await db
        .selectFrom('stock_reservations')
        .select(['order_id', 'status', 'expires_at', 'created_at'])
        .where('user_id', '=', userId)
        .orderBy('created_at')
        .execute();
      return {
        reservations: reservations.map((r) => ({ orderId: r.order_id, status: r.status, expiresAt: r.expires_at.toISOString(), createdAt: r.created_at.toISOString() })),
      };
    },
    // Kept on purpose (see above); answering still tells users that inventory has looked.
    erase: async () => undefined,
  };
}

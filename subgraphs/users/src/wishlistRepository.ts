import { enqueueEvents, handleOnce, type EventEnvelope } from '@shop/events';
import type { Kysely } from 'kysely';
import type { UsersDatabase } from './db/schema.js';
import type { WishlistItem } from './model.js';
import { isUuid } from './validation.js';

/** The only code that touches the wishlist tables. */
export interface WishlistRepository {
  /** Every item of these users, each user's newest first. */
  findByUserIds(userIds: readonly string[]): Promise<WishlistItem[]>;
  /**
   * Adds the product unless it is there already, with the user's row locked so the size check
   * cannot race. 'gone' when there is no such user, 'full' when `limit` items are there already.
   */
  add(userId: string, productId: string, limit: number): Promise<'added' | 'present' | 'full' | 'gone'>;
  remove(userId: string, productId: string): Promise<void>;
  /** Whether anyone wishes for the product: most stock movements concern no wishlist at all. */
  hasWishers(productId: string): Promise<boolean>;
  /**
   * Runs once per event id (the inbox): the users wishing for `productId` are handed to `alerts`,
   * whose events go to the outbox in the same transaction. False for an event handled before.
   */
  alertWishersOnce(consumer: string, event: EventEnvelope, productId: string, alerts: (userIds: string[]) => EventEnvelope[]): Promise<boolean>;
}

export function createWishlistRepository(db: Kysely<UsersDatabase>): WishlistRepository {
  return {
    async findByUserIds(userIds) {
      const valid = userIds.filter(isUuid);
      if (valid.length === 0) return [];
      const rows = await db
        .selectFrom('wishlist_items')
        .select(['user_id', 'product_id', 'added_at'])
        .where('user_id', 'in', valid)
        .orderBy('added_at', 'desc')
        .orderBy('product_id')
        .execute();
      return rows.map((row) => ({ userId: row.user_id, productId: row.product_id, addedAt: row.added_at }));
    },

    add(userId, productId, limit) {
      return db.transaction().execute(async (trx) => {
        const user = await trx.selectFrom('users').select('id').where('id', '=', userId).forUpdate().executeTakeFirst();
        if (!user) return 'gone';
        const { count } = await trx
          .selectFrom('wishlist_items')
          .select((eb) => eb.fn.countAll<string>().as('count'))
          .where('user_id', '=', userId)
          .executeTakeFirstOrThrow();
        const present = await trx
          .selectFrom('wishlist_items')
          .select('product_id')
          .where('user_id', '=', userId)
          .where('product_id', '=', productId)
          .executeTakeFirst();
        if (present) return 'present';
        if (Number(count) >= limit) return 'full';
        await trx.insertInto('wishlist_items').values({ user_id: userId, product_id: productId }).execute();
        return 'added';
      });
    },

    async remove(userId, productId) {
      await db.deleteFrom('wishlist_items').where('user_id', '=', userId).where('product_id', '=', productId).execute();
    },

    async hasWishers(productId) {
      const row = await db.selectFrom('wishlist_items').select('user_id').where('product_id', '=', productId).limit(1).executeTakeFirst();
      return row !== undefined;
    },

    alertWishersOnce(consumer, event, productId, alerts) {
      return handleOnce(db, consumer, event, async (trx) => {
        const rows = await (trx as Kysely<UsersDatabase>)
          .selectFrom('wishlist_items')
          .select('user_id')
          .where('product_id', '=', productId)
          .orderBy('user_id')
          .execute();
        await enqueueEvents(trx, alerts(rows.map((row) => row.user_id)));
      });
    },
  };
}

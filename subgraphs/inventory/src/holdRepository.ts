import { sql, type Kysely } from 'kysely';
import { enqueueEvents } from '@shop/events';
import type { InventoryDatabase } from './db/schema.js';
import { stockHoldExpiring } from './events.js';
import { allocate, sortAllocations, unitsPerProduct, type Allocation, type ReservationItem, type Shortage } from './reservations.js';
import { afterChanges, applyMoves, lockLevels, type LevelChange } from './stockMoves.js';

type Db = Kysely<InventoryDatabase>;

/** Stock held for a cart while its shopper checks out. */
export interface StockHold {
  cartId: string;
  expiresAt: Date;
  /** Ordered by product, then warehouse. */
  items: Allocation[];
}

export type HoldResult =
  /** Units are held until `expiresAt`; `changedProductIds` are the products whose stock moved. */
  | { outcome: 'held'; hold: StockHold; changedProductIds: string[] }
  /** Nothing changed (an earlier hold of the cart stands as it was): these products fall short. */
  | { outcome: 'short'; shortages: Shortage[] };

export type HoldRepository = ReturnType<typeof createHoldRepository>;

class Short extends Error {
  constructor(readonly shortages: Shortage[]) {
    super('insufficient stock');
  }
}

async function loadItems(trx: Db, cartId: string): Promise<Allocation[]> {
  const rows = await trx
    .selectFrom('stock_hold_items')
    .select(['product_id', 'warehouse', 'quantity'])
    .where('cart_id', '=', cartId)
    .orderBy('product_id')
    .orderBy('warehouse')
    .execute();
  return rows.map((row) => ({ productId: row.product_id, warehouse: row.warehouse, quantity: row.quantity }));
}

/** The changes that give held units back. */
export function releaseOf(items: readonly Allocation[]): LevelChange[] {
  return items.map((i) => ({ productId: i.productId, warehouse: i.warehouse, onHandDelta: 0, reservedDelta: -i.quantity }));
}

/**
 * Checkout's side (inside its reservation's transaction): locks the cart's active hold and
 * returns its units, or null when the cart holds nothing now. Locked before any stock level,
 * like every writer of holds.
 */
export async function lockActiveHold(trx: Db, cartId: string): Promise<Allocation[] | null> {
  const row = await trx
    .selectFrom('stock_holds')
    .select('status')
    .where('cart_id', '=', cartId)
    .forUpdate()
    .executeTakeFirst();
  return row?.status === 'ACTIVE' ? loadItems(trx, cartId) : null;
}

/** Marks a hold locked by `lockActiveHold` as taken over by the order; its units move with the same transaction. */
export async function convertHold(trx: Db, cartId: string, orderId: string): Promise<void> {
  await trx.updateTable('stock_holds').set({ status: 'CONVERTED', order_id: orderId, updated_at: sql<Date>`now()` }).where('cart_id', '=', cartId).execute();
}

/**
 * Cart holds and the stock they keep. Each change locks the hold's row first, then the stock
 * levels of its products in product and warehouse order (the order every writer uses), and
 * writes its events to the outbox in the same transaction. Times are the caller's clock, so
 * expiry and warnings follow the same time the hold was made with.
 */
export function createHoldRepository(db: Db) {
  return {
    /**
     * Holds `items` for the cart until `now + seconds`, all or nothing, replacing the cart's
     * active hold (its units are given back in the same transaction, so they count as free for
     * the new one). The warning is due when a fifth of the time is left.
     */
    async hold(request: { cartId: string; items: readonly ReservationItem[]; seconds: number; now: Date }): Promise<HoldResult> {
      const expiresAt = new Date(request.now.getTime() + request.seconds * 1000);
      const warnAt = new Date(expiresAt.getTime() - request.seconds * 200);
      try {
        return await db.transaction().execute(async (trx): Promise<HoldResult> => {
          // Claiming the row first makes a concurrent first hold of the same cart wait for ours.
          await trx
            .insertInto('stock_holds')
            .values({ cart_id: request.cartId, status: 'EXPIRED', seconds: request.seconds, expires_at: request.now, warn_at: request.now })
            .onConflict((oc) => oc.column('cart_id').doNothing())
            .execute();
          const previous = (await lockActiveHold(trx, request.cartId)) ?? [];
          const release = releaseOf(previous);
          const locked = await lockLevels(trx, [...request.items.map((i) => i.productId), ...previous.map((i) => i.productId)]);
          const allocation = allocate(request.items, afterChanges(locked, release));
          if (!allocation.ok) throw new Short(allocation.shortages);

          await trx
            .updateTable('stock_holds')
            .set({ status: 'ACTIVE', seconds: request.seconds, expires_at: expiresAt, warn_at: warnAt, warned: false, order_id: null, updated_at: sql<Date>`now()` })
            .where('cart_id', '=', request.cartId)
            .execute();
          await trx.deleteFrom('stock_hold_items').where('cart_id', '=', request.cartId).execute();
          await trx
            .insertInto('stock_hold_items')
            .values(allocation.allocations.map((a) => ({ cart_id: request.cartId, product_id: a.productId, warehouse: a.warehouse, quantity: a.quantity })))
            .execute();
          const held = allocation.allocations.map((a) => ({ productId: a.productId, warehouse: a.warehouse, onHandDelta: 0, reservedDelta: a.quantity }));
          const applied = await applyMoves(trx, locked, [
            { kind: 'release', cartId: request.cartId, changes: release },
            { kind: 'hold', cartId: request.cartId, changes: held },
          ]);
          await enqueueEvents(trx, applied.events);
          return {
            outcome: 'held',
            hold: { cartId: request.cartId, expiresAt, items: sortAllocations(allocation.allocations) },
            changedProductIds: applied.productIds,
          };
        });
      } catch (error) {
        if (error instanceof Short) return { outcome: 'short', shortages: error.shortages };
        throw error;
      }
    },

    /**
     * Gives back the stock of one active hold whose time is up at `now`, if any. The row is
     * claimed with `FOR UPDATE SKIP LOCKED` and settled in the same transaction, so sweepers on
     * every replica share the work and no hold is released twice.
     */
    expireNext(now: Date): Promise<{ cartId: string; changedProductIds: string[] } | null> {
      return db.transaction().execute(async (trx) => {
        const row = await trx
          .selectFrom('stock_holds')
          .select('cart_id')
          .where('status', '=', 'ACTIVE')
          .where('expires_at', '<=', now)
          .orderBy('expires_at')
          .limit(1)
          .forUpdate()
          .skipLocked()
          .executeTakeFirst();
        if (!row) return null;
        const items = await loadItems(trx, row.cart_id);
        const locked = await lockLevels(trx, items.map((i) => i.productId));
        const applied = await applyMoves(trx, locked, [{ kind: 'release', cartId: row.cart_id, changes: releaseOf(items) }]);
        await trx.updateTable('stock_holds').set({ status: 'EXPIRED', updated_at: sql<Date>`now()` }).where('cart_id', '=', row.cart_id).execute();
        await enqueueEvents(trx, applied.events);
        return { cartId: row.cart_id, changedProductIds: applied.productIds };
      });
    },

    /**
     * Announces (`stock.hold_expiring`) one active hold that reached its warning time at `now`
     * and has not lapsed yet, once: the `warned` flag and the event commit together, claimed
     * like `expireNext`. A hold that lapsed unwarned (the service was down) is only expired.
     */
    warnNext(now: Date): Promise<{ cartId: string } | null> {
      return db.transaction().execute(async (trx) => {
        const row = await trx
          .selectFrom('stock_holds')
          .select(['cart_id', 'expires_at'])
          .where('status', '=', 'ACTIVE')
          .where('warned', '=', false)
          .where('warn_at', '<=', now)
          .where('expires_at', '>', now)
          .orderBy('warn_at')
          .limit(1)
          .forUpdate()
          .skipLocked()
          .executeTakeFirst();
        if (!row) return null;
        const items = unitsPerProduct(await loadItems(trx, row.cart_id));
        await trx.updateTable('stock_holds').set({ warned: true, updated_at: sql<Date>`now()` }).where('cart_id', '=', row.cart_id).execute();
        await enqueueEvents(trx, [stockHoldExpiring(row.cart_id, items, row.expires_at)]);
        return { cartId: row.cart_id };
      });
    },
  };
}

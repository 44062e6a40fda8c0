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
 * Holds `items` for the cart until `now + seconds`, all or nothing, replacing the cart's active
 * hold: its units and the `released` ones (already unlinked from their carts by the caller) are
 * given back in the same transaction, so they count as free for the new hold. When all of
 * `items` cannot be held and `keepHeldWhenShort`, the units both had, capped at `items`, are
 * held instead (they were held a moment ago, so they fit). The warning is
 * due when a fifth of the time is left.
 */
async function placeHold(
  trx: Db,
  request: {
    cartId: string;
    items: readonly ReservationItem[];
    seconds: number;
    now: Date;
    released: ReadonlyArray<{ cartId: string; items: readonly Allocation[] }>;
    keepHeldWhenShort: boolean;
  },
): Promise<HoldResult> {
  const { cartId, now, seconds } = request;
  const expiresAt = new Date(now.getTime() + seconds * 1000);
  const warnAt = new Date(expiresAt.getTime() - seconds * 200);
  // Claiming the row first makes a concurrent first hold of the same cart wait for ours.
  await trx
    .insertInto('stock_holds')
    .values({ cart_id: cartId, status: 'EXPIRED', seconds, expires_at: now, warn_at: now })
    .onConflict((oc) => oc.column('cart_id').doNothing())
    .execute();
  const previous = (await lockActiveHold(trx, cartId)) ?? [];
  const releases = [...request.released, { cartId, items: previous }].map((r) => ({ cartId: r.cartId, changes: releaseOf(r.items) }));
  const everyRelease = releases.flatMap((r) => r.changes);
  const locked = await lockLevels(trx, [...request.items.map((i) => i.productId), ...everyRelease.map((c) => c.productId)]);
  const free = afterChanges(locked, everyRelease);
  let allocation = allocate(request.items, free);
  if (!allocation.ok && request.keepHeldWhenShort) {
    const heldBefore = unitsPerProduct([...request.released.flatMap((r) => r.items), ...previous]);
    const kept = request.items.flatMap((item) => {
      const quantity = Math.min(item.quantity, heldBefore.find((h) => h.productId === item.productId)?.quantity ?? 0);
      return quantity > 0 ? [{ productId: item.productId, quantity }] : [];
    });
    if (kept.length > 0) allocation = allocate(kept, free);
  }
  if (!allocation.ok) throw new Short(allocation.shortages);

  await trx
    .updateTable('stock_holds')
    .set({ status: 'ACTIVE', seconds, expires_at: expiresAt, warn_at: warnAt, warned: false, order_id: null, updated_at: sql<Date>`now()` })
    .where('cart_id', '=', cartId)
    .execute();
  await trx.deleteFrom('stock_hold_items').where('cart_id', '=', cartId).execute();
  await trx
    .insertInto('stock_hold_items')
    .values(allocation.allocations.map((a) => ({ cart_id: cartId, product_id: a.productId, warehouse: a.warehouse, quantity: a.quantity })))
    .execute();
  const held = allocation.allocations.map((a) => ({ productId: a.productId, warehouse: a.warehouse, onHandDelta: 0, reservedDelta: a.quantity }));
  const applied = await applyMoves(trx, locked, [
    ...releases.map((r) => ({ kind: 'release' as const, cartId: r.cartId, changes: r.changes })),
    { kind: 'hold', cartId, changes: held },
  ]);
  await enqueueEvents(trx, applied.events);
  return { outcome: 'held', hold: { cartId, expiresAt, items: sortAllocations(allocation.allocations) }, changedProductIds: applied.productIds };
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
      try {
        return await db.transaction().execute(async (trx) => {
          const { seconds, now } = request;
          return placeHold(trx, { cartId: request.cartId, items: request.items, seconds, now, released: [], keepHeldWhenShort: false });
        });
      } catch (error) {
        if (error instanceof Short) return { outcome: 'short', shortages: error.shortages };
        throw error;
      }
    },

    /**
     * At sign-in, a guest cart merged into `cartId`: its active hold (if it has one, not lapsed
     * at `now`) is given back and `items` (the merged cart's lines) are held for `cartId` in the
     * same transaction, replacing that cart's own hold, for the guest hold's length from now. When
     * stock is short for all of `items`, the units the two holds had (up to what the cart asks
     * for) stay held, now for `cartId`: the guest's units are never lost to the merge. Null when
     * the guest cart holds nothing (nothing changes). The guest's row is locked before the
     * cart's; nothing locks them the other way round (a user's cart is never merged into a guest's).
     */
    async move(request: { fromCartId: string; cartId: string; items: readonly ReservationItem[]; now: Date }): Promise<HoldResult | null> {
      try {
        return await db.transaction().execute(async (trx) => {
          const guest = await trx
            .selectFrom('stock_holds')
            .select(['status', 'seconds', 'expires_at'])
            .where('cart_id', '=', request.fromCartId)
            .forUpdate()
            .executeTakeFirst();
          // A lapsed hold the sweeper has not reached yet is the sweeper's to give back.
          if (guest?.status !== 'ACTIVE' || guest.expires_at <= request.now) return null;
          const released = await loadItems(trx, request.fromCartId);
          await trx.updateTable('stock_holds').set({ status: 'MOVED', updated_at: sql<Date>`now()` }).where('cart_id', '=', request.fromCartId).execute();
          await trx.deleteFrom('stock_hold_items').where('cart_id', '=', request.fromCartId).execute();
          const { cartId, items, now } = request;
          return placeHold(trx, { cartId, items, seconds: guest.seconds, now, released: [{ cartId: request.fromCartId, items: released }], keepHeldWhenShort: true });
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

import { sql, type Kysely } from 'kysely';
import { enqueueEvents } from '@shop/events';
import type { InventoryDatabase } from './db/schema.js';
import { stockChanged } from './events.js';
import type { StockLevel } from './stock.js';

/** One on-hand quantity to write. */
export interface OnHandWrite {
  productId: string;
  warehouse: string;
  quantity: number;
}

export type SetOnHandResult =
  /** The levels after the write, in the order of the writes. */
  | { ok: true; levels: StockLevel[] }
  /** Nothing was written: `writes[index]` would put on hand below the units reserved there. */
  | { ok: false; index: number; reserved: number };

export interface StockRepository {
  /** Every level of these products, in one query, ordered by product and warehouse. */
  findByProductIds(productIds: readonly string[]): Promise<StockLevel[]>;
  /**
   * Sets on-hand quantities and records one `set` event per write, all in one transaction
   * with one `stock.changed` outbox event per product: either every write lands or none does.
   * Pairs of product and warehouse must be distinct.
   */
  setOnHand(writes: readonly OnHandWrite[], actorId: string | null): Promise<SetOnHandResult>;
}

class BelowReserved extends Error {
  constructor(
    readonly index: number,
    readonly reserved: number,
  ) {
    super('on hand below reserved');
  }
}

const keyOf = (productId: string, warehouse: string) => JSON.stringify([productId, warehouse]);

export function createStockRepository(db: Kysely<InventoryDatabase>): StockRepository {
  return {
    async findByProductIds(productIds) {
      if (productIds.length === 0) return [];
      const rows = await db
        .selectFrom('stock_levels')
        .select(['product_id', 'warehouse', 'on_hand', 'reserved'])
        .where('product_id', 'in', productIds)
        .orderBy('product_id')
        .orderBy('warehouse')
        .execute();
      return rows.map((row) => ({
        productId: row.product_id,
        warehouse: row.warehouse,
        onHand: row.on_hand,
        reserved: row.reserved,
      }));
    },

    async setOnHand(writes, actorId) {
      if (writes.length === 0) return { ok: true, levels: [] };
      // Every transaction inserts in the same key order, so two concurrent bulk writes wait
      // for each other instead of deadlocking.
      const sorted = [...writes].sort((a, b) =>
        a.productId === b.productId ? compare(a.warehouse, b.warehouse) : compare(a.productId, b.productId),
      );
      try {
        return await db.transaction().execute(async (trx) => {
          // Create missing rows first so that every row can be locked below: a reservation
          // landing between our check and our write would otherwise go unseen.
          await trx
            .insertInto('stock_levels')
            .values(sorted.map((w) => ({ product_id: w.productId, warehouse: w.warehouse, on_hand: 0 })))
            .onConflict((oc) => oc.columns(['product_id', 'warehouse']).doNothing())
            .execute();
          // Every warehouse of these products, so the totals in `stock.changed` are exact; in
          // product and warehouse order, the order in which reservations lock them too.
          const current = await trx
            .selectFrom('stock_levels')
            .select(['product_id', 'warehouse', 'on_hand', 'reserved'])
            .where('product_id', 'in', [...new Set(sorted.map((w) => w.productId))])
            .orderBy('product_id')
            .orderBy('warehouse')
            .forUpdate()
            .execute();
          const before = new Map(current.map((row) => [keyOf(row.product_id, row.warehouse), row]));
          const previous = writes.map((w) => {
            const row = before.get(keyOf(w.productId, w.warehouse));
            if (!row) throw new Error(`stock level ${keyOf(w.productId, w.warehouse)} vanished inside its transaction`);
            return row;
          });
          const blocked = writes.findIndex((w, i) => w.quantity < previous[i]!.reserved);
          if (blocked !== -1) throw new BelowReserved(blocked, previous[blocked]!.reserved);

          // Every row exists and is locked by now, so this upsert only ever updates.
          await trx
            .insertInto('stock_levels')
            .values(sorted.map((w) => ({ product_id: w.productId, warehouse: w.warehouse, on_hand: w.quantity })))
            .onConflict((oc) =>
              oc.columns(['product_id', 'warehouse']).doUpdateSet((eb) => ({
                on_hand: eb.ref('excluded.on_hand'),
                updated_at: sql<Date>`now()`,
              })),
            )
            .execute();
          await trx
            .insertInto('stock_events')
            .values(
              writes.map((w, i) => ({
                product_id: w.productId,
                warehouse: w.warehouse,
                kind: 'set' as const,
                delta: w.quantity - previous[i]!.on_hand,
                on_hand: w.quantity,
                reserved: previous[i]!.reserved,
                actor_id: actorId,
              })),
            )
            .execute();
          const written = new Map(writes.map((w) => [keyOf(w.productId, w.warehouse), w.quantity]));
          const totals = new Map<string, { onHand: number; reserved: number; previousAvailable: number }>();
          for (const row of current) {
            const total = totals.get(row.product_id) ?? { onHand: 0, reserved: 0, previousAvailable: 0 };
            total.onHand += written.get(keyOf(row.product_id, row.warehouse)) ?? row.on_hand;
            total.reserved += row.reserved;
            total.previousAvailable += row.on_hand - row.reserved;
            totals.set(row.product_id, total);
          }
          await enqueueEvents(
            trx,
            [...totals].map(([productId, total]) => stockChanged({ productId, ...total })),
          );
          return {
            ok: true as const,
            levels: writes.map((w, i) => ({
              productId: w.productId,
              warehouse: w.warehouse,
              onHand: w.quantity,
              reserved: previous[i]!.reserved,
            })),
          };
        });
      } catch (error) {
        if (error instanceof BelowReserved) return { ok: false, index: error.index, reserved: error.reserved };
        throw error;
      }
    },
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

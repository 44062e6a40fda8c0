import { sql, type Insertable, type Kysely } from 'kysely';
import type { EventEnvelope } from '@shop/events';
import type { InventoryDatabase, StockEventKind, StockEventsTable } from './db/schema.js';
import { stockChanged } from './events.js';
import type { StockLevel } from './stock.js';

type Db = Kysely<InventoryDatabase>;

/** One change to one stock level. */
export interface LevelChange {
  productId: string;
  warehouse: string;
  onHandDelta: number;
  reservedDelta: number;
}

/** Changes made for one reason: an order's reservation or a cart's hold, recorded in the stock history as such. */
export interface StockMove {
  kind: StockEventKind;
  orderId?: string;
  cartId?: string;
  actorId?: string | null;
  changes: readonly LevelChange[];
}

const levelKey = (productId: string, warehouse: string) => `${productId}\u0000${warehouse}`;

/** Every level of these products, locked, in the one order all writers use (product, then warehouse). */
export async function lockLevels(trx: Db, productIds: readonly string[]): Promise<StockLevel[]> {
  if (productIds.length === 0) return [];
  const rows = await trx
    .selectFrom('stock_levels')
    .select(['product_id', 'warehouse', 'on_hand', 'reserved'])
    .where('product_id', 'in', [...new Set(productIds)])
    .orderBy('product_id')
    .orderBy('warehouse')
    .forUpdate()
    .execute();
  return rows.map((row) => ({ productId: row.product_id, warehouse: row.warehouse, onHand: row.on_hand, reserved: row.reserved }));
}

/** The levels as they would be after `changes`: what allocation sees once a hold is given back. */
export function afterChanges(levels: readonly StockLevel[], changes: readonly LevelChange[]): StockLevel[] {
  const next = new Map(levels.map((level) => [levelKey(level.productId, level.warehouse), { ...level }]));
  for (const change of changes) {
    const level = next.get(levelKey(change.productId, change.warehouse));
    if (!level) throw new Error(`stock level ${change.productId}/${change.warehouse} is not locked`);
    level.onHand += change.onHandDelta;
    level.reserved += change.reservedDelta;
  }
  return [...next.values()];
}

/**
 * Applies moves to levels the caller locked (every level of each product touched), in one
 * UPDATE with the final figures, records each change in the stock history with the figures
 * after it, and returns the `stock.changed` events: one per product whose totals moved, from
 * before the first move to after the last. So a hold turned into an order's reservation, which
 * releases and reserves the same units, announces nothing it did not change.
 */
export async function applyMoves(
  trx: Db,
  locked: readonly StockLevel[],
  moves: readonly StockMove[],
): Promise<{ events: EventEnvelope[]; productIds: string[] }> {
  const levels = new Map(locked.map((level) => [levelKey(level.productId, level.warehouse), { ...level }]));
  const history: Insertable<StockEventsTable>[] = [];
  const touched = new Set<string>();
  for (const move of moves) {
    for (const change of move.changes) {
      const key = levelKey(change.productId, change.warehouse);
      const level = levels.get(key);
      if (!level) throw new Error(`stock level ${change.productId}/${change.warehouse} is not locked`);
      level.onHand += change.onHandDelta;
      level.reserved += change.reservedDelta;
      touched.add(key);
      history.push({
        product_id: change.productId,
        warehouse: change.warehouse,
        kind: move.kind,
        delta: change.onHandDelta,
        on_hand: level.onHand,
        reserved: level.reserved,
        actor_id: move.actorId ?? null,
        order_id: move.orderId ?? null,
        cart_id: move.cartId ?? null,
      });
    }
  }
  if (touched.size === 0) return { events: [], productIds: [] };

  const finals = [...touched].map((key) => levels.get(key)!);
  const values = sql.join(finals.map((l) => sql`(${l.productId}, ${l.warehouse}, ${l.onHand}::int, ${l.reserved}::int)`));
  const { rows } = await sql`
    UPDATE stock_levels AS l
       SET on_hand = v.on_hand, reserved = v.reserved, updated_at = now()
      FROM (VALUES ${values}) AS v (product_id, warehouse, on_hand, reserved)
     WHERE l.product_id = v.product_id AND l.warehouse = v.warehouse
 RETURNING l.product_id`.execute(trx);
  if (rows.length !== finals.length) throw new Error('locked stock levels vanished inside their transaction');
  await trx.insertInto('stock_events').values(history).execute();

  const totals = new Map<string, { before: { onHand: number; reserved: number }; after: { onHand: number; reserved: number } }>();
  for (const level of locked) {
    const after = levels.get(levelKey(level.productId, level.warehouse))!;
    const total = totals.get(level.productId) ?? { before: { onHand: 0, reserved: 0 }, after: { onHand: 0, reserved: 0 } };
    total.before.onHand += level.onHand;
    total.before.reserved += level.reserved;
    total.after.onHand += after.onHand;
    total.after.reserved += after.reserved;
    totals.set(level.productId, total);
  }
  const productIds = [...new Set(finals.map((level) => level.productId))]
    .filter((id) => {
      const { before, after } = totals.get(id)!;
      return before.onHand !== after.onHand || before.reserved !== after.reserved;
    })
    .sort();
  return {
    productIds,
    events: productIds.map((productId) => {
      const { before, after } = totals.get(productId)!;
      return stockChanged({ productId, onHand: after.onHand, reserved: after.reserved, previousAvailable: before.onHand - before.reserved });
    }),
  };
}

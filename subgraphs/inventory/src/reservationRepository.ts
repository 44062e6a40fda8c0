import { sql, type Kysely, type Selectable } from 'kysely';
import { enqueueEvents, handleOnce, type EventEnvelope } from '@shop/events';
import type { InventoryDatabase, StockEventKind, StockReservationsTable } from './db/schema.js';
import { reservationCommitted, reservationReleased, stockReserved } from './events.js';
import { convertHold, lockActiveHold, releaseOf } from './holdRepository.js';
import {
  allocate,
  sortAllocations,
  unitsPerProduct,
  type Allocation,
  type Reservation,
  type ReservationItem,
  type ReservationStatus,
  type Shortage,
} from './reservations.js';
import type { StockLevel } from './stock.js';
import { afterChanges, applyMoves, lockLevels, type LevelChange } from './stockMoves.js';

export interface ReserveRequest {
  orderId: string;
  /** The customer checking out; a repeat by anyone else is refused. */
  userId: string;
  /** Distinct products, quantities above zero. */
  items: readonly ReservationItem[];
  /** When the reservation lapses unless paid for (the service's clock plus its time to live). */
  expiresAt: Date;
  /** The cart whose active hold (holdCart) the order takes over: its units count as free for this reservation. */
  cartId?: string | null;
}

export type ReserveResult =
  /** Units are held now; `changedProductIds` are the products whose stock moved. */
  | { outcome: 'reserved'; reservation: Reservation; changedProductIds: string[] }
  /** The order already had an active or committed reservation: returned unchanged. */
  | { outcome: 'existing'; reservation: Reservation }
  /** Nothing was held: these products fall short. */
  | { outcome: 'short'; shortages: Shortage[] }
  /** The order id belongs to another customer's reservation. */
  | { outcome: 'foreign' };

/**
 * What to do with a reservation:
 * - `release`: checkout gave up on an order it could not write; only an active one.
 * - `cancel`: the order was cancelled before fulfilment; held units go back (active), or sold
 *   units return to the shelf (committed).
 * - `commit`: the order was paid; the held units leave the stock. An expired reservation is
 *   taken again from what is available, since the customer has paid.
 */
export type Settlement = 'release' | 'cancel' | 'commit';

export interface SettleResult {
  /** The reservation's status afterwards; null when the order has none. */
  status: ReservationStatus | null;
  /** True when this call changed the reservation. */
  changed: boolean;
  changedProductIds: string[];
  /** Why nothing changed, when that deserves a log line. */
  problem?: string;
}

export type ReservationRepository = ReturnType<typeof createReservationRepository>;

type Db = Kysely<InventoryDatabase>;

class Short extends Error {
  constructor(readonly shortages: Shortage[]) {
    super('insufficient stock');
  }
}

/**
 * Reservations and the stock they hold. Every change runs in one transaction that locks the
 * reservation row first and then the stock levels of its products ordered by product and
 * warehouse: every writer takes locks in that order, so concurrent checkouts, expiries and
 * admin writes wait for each other but never deadlock. The events describing a change are
 * written to the outbox in the same transaction.
 */
export function createReservationRepository(db: Db) {
  async function loadItems(trx: Db, orderId: string): Promise<Allocation[]> {
    const rows = await trx
      .selectFrom('stock_reservation_items')
      .select(['product_id', 'warehouse', 'quantity'])
      .where('order_id', '=', orderId)
      .orderBy('product_id')
      .orderBy('warehouse')
      .execute();
    return rows.map((row) => ({ productId: row.product_id, warehouse: row.warehouse, quantity: row.quantity }));
  }

  async function toReservation(trx: Db, row: Selectable<StockReservationsTable>): Promise<Reservation> {
    return {
      orderId: row.order_id,
      userId: row.user_id,
      status: row.status,
      expiresAt: row.expires_at,
      createdAt: row.created_at,
      items: await loadItems(trx, row.order_id),
    };
  }

  async function replaceItems(trx: Db, orderId: string, allocations: readonly Allocation[]): Promise<void> {
    await trx.deleteFrom('stock_reservation_items').where('order_id', '=', orderId).execute();
    await trx
      .insertInto('stock_reservation_items')
      .values(allocations.map((a) => ({ order_id: orderId, product_id: a.productId, warehouse: a.warehouse, quantity: a.quantity })))
      .execute();
  }

  async function setStatus(trx: Db, orderId: string, status: ReservationStatus): Promise<void> {
    await trx
      .updateTable('stock_reservations')
      .set({ status, updated_at: sql<Date>`now()` })
      .where('order_id', '=', orderId)
      .execute();
  }

  /** Settles a reservation whose row the caller has locked. */
  async function settleLocked(
    trx: Db,
    row: Selectable<StockReservationsTable>,
    settlement: Settlement | 'expire',
  ): Promise<SettleResult> {
    const orderId = row.order_id;
    const unchanged = (problem?: string): SettleResult => ({ status: row.status, changed: false, changedProductIds: [], problem });
    const items = await loadItems(trx, orderId);
    let next: ReservationStatus;
    let kind: StockEventKind;
    let changes: LevelChange[];
    let outcome: EventEnvelope;
    let locked: StockLevel[];

    if (row.status === 'ACTIVE' && settlement !== 'commit') {
      next = settlement === 'expire' ? 'EXPIRED' : 'RELEASED';
      kind = 'release';
      changes = items.map((i) => ({ productId: i.productId, warehouse: i.warehouse, onHandDelta: 0, reservedDelta: -i.quantity }));
      outcome = reservationReleased(orderId, settlement === 'expire' ? 'expired' : 'cancelled');
      locked = await lockLevels(trx, items.map((i) => i.productId));
    } else if (row.status === 'COMMITTED' && settlement === 'cancel') {
      // Paid but not yet picked: the units never left the warehouse, so they are sellable again.
      next = 'RELEASED';
      kind = 'release';
      changes = items.map((i) => ({ productId: i.productId, warehouse: i.warehouse, onHandDelta: i.quantity, reservedDelta: 0 }));
      outcome = reservationReleased(orderId, 'cancelled');
      locked = await lockLevels(trx, items.map((i) => i.productId));
    } else if (row.status === 'ACTIVE' && settlement === 'commit') {
      next = 'COMMITTED';
      kind = 'commit';
      changes = items.map((i) => ({ productId: i.productId, warehouse: i.warehouse, onHandDelta: -i.quantity, reservedDelta: -i.quantity }));
      outcome = reservationCommitted(orderId);
      locked = await lockLevels(trx, items.map((i) => i.productId));
    } else if (row.status === 'EXPIRED' && settlement === 'commit') {
      // The payment beat the cancellation of an expired order: sell from what is free now.
      const wanted = unitsPerProduct(items);
      locked = await lockLevels(trx, wanted.map((i) => i.productId));
      const allocation = allocate(wanted, locked);
      if (!allocation.ok) {
        return unchanged(`order ${orderId} was paid after its reservation expired, and the stock is gone`);
      }
      await replaceItems(trx, orderId, allocation.allocations);
      next = 'COMMITTED';
      kind = 'commit';
      changes = allocation.allocations.map((a) => ({ productId: a.productId, warehouse: a.warehouse, onHandDelta: -a.quantity, reservedDelta: 0 }));
      outcome = reservationCommitted(orderId);
    } else {
      return unchanged();
    }

    const applied = await applyMoves(trx, locked, [{ kind, orderId, changes }]);
    await setStatus(trx, orderId, next);
    await enqueueEvents(trx, [outcome, ...applied.events]);
    return { status: next, changed: true, changedProductIds: applied.productIds };
  }

  async function settleIn(trx: Db, orderId: string, settlement: Settlement, userId: string | null): Promise<SettleResult> {
    const row = await trx
      .selectFrom('stock_reservations')
      .selectAll()
      .where('order_id', '=', orderId)
      .$if(userId !== null, (qb) => qb.where('user_id', '=', userId!))
      .forUpdate()
      .executeTakeFirst();
    if (!row) return { status: null, changed: false, changedProductIds: [] };
    return settleLocked(trx, row, settlement);
  }

  return {
    /**
     * Holds stock for an order, all items or none. Idempotent by order id: an active or
     * committed reservation is returned as it is. A released or expired one is reserved afresh:
     * checkout only asks again for an order it has not written yet.
     */
    async reserve(request: ReserveRequest): Promise<ReserveResult> {
      try {
        return await db.transaction().execute(async (trx): Promise<ReserveResult> => {
          // Claiming the order id first makes a concurrent repeat wait here for our outcome.
          const claimed = await trx
            .insertInto('stock_reservations')
            .values({
              order_id: request.orderId,
              user_id: request.userId,
              status: 'ACTIVE',
              expires_at: request.expiresAt,
            })
            .onConflict((oc) => oc.column('order_id').doNothing())
            .returningAll()
            .executeTakeFirst();
          if (!claimed) {
            const existing = await trx
              .selectFrom('stock_reservations')
              .selectAll()
              .where('order_id', '=', request.orderId)
              .forUpdate()
              .executeTakeFirstOrThrow();
            if (existing.user_id !== request.userId) return { outcome: 'foreign' };
            if (existing.status === 'ACTIVE' || existing.status === 'COMMITTED') {
              return { outcome: 'existing', reservation: await toReservation(trx, existing) };
            }
          }

          // The cart's hold, if any, is given back in this same transaction: its units count as free here.
          const hold = request.cartId ? await lockActiveHold(trx, request.cartId) : null;
          const release = releaseOf(hold ?? []);
          const locked = await lockLevels(trx, [...request.items.map((i) => i.productId), ...(hold ?? []).map((i) => i.productId)]);
          const allocation = allocate(request.items, afterChanges(locked, release));
          if (!allocation.ok) throw new Short(allocation.shortages);
          if (hold) await convertHold(trx, request.cartId!, request.orderId);

          const row = await trx
            .updateTable('stock_reservations')
            .set({
              status: 'ACTIVE',
              expires_at: request.expiresAt,
              updated_at: sql<Date>`now()`,
            })
            .where('order_id', '=', request.orderId)
            .returningAll()
            .executeTakeFirstOrThrow();
          await replaceItems(trx, request.orderId, allocation.allocations);
          const changes = allocation.allocations.map((a) => ({
            productId: a.productId,
            warehouse: a.warehouse,
            onHandDelta: 0,
            reservedDelta: a.quantity,
          }));
          const applied = await applyMoves(trx, locked, [
            { kind: 'release', cartId: request.cartId ?? undefined, changes: release },
            { kind: 'reserve', orderId: request.orderId, actorId: request.userId, changes },
          ]);
          await enqueueEvents(trx, [
            stockReserved(request.orderId, unitsPerProduct(allocation.allocations), row.expires_at),
            ...applied.events,
          ]);
          return {
            outcome: 'reserved',
            reservation: {
              orderId: row.order_id,
              userId: row.user_id,
              status: row.status,
              expiresAt: row.expires_at,
              createdAt: row.created_at,
              items: sortAllocations(allocation.allocations),
            },
            changedProductIds: applied.productIds,
          };
        });
      } catch (error) {
        if (error instanceof Short) return { outcome: 'short', shortages: error.shortages };
        throw error;
      }
    },

    /** A reservation with its items; null when the order has none. */
    async find(orderId: string): Promise<Reservation | null> {
      const row = await db.selectFrom('stock_reservations').selectAll().where('order_id', '=', orderId).executeTakeFirst();
      return row ? toReservation(db, row) : null;
    },

    /** Settles an order's reservation; `userId` limits it to that customer's reservation. */
    settle(orderId: string, settlement: Settlement, userId: string | null): Promise<SettleResult> {
      return db.transaction().execute((trx) => settleIn(trx, orderId, settlement, userId));
    },

    /**
     * Settles a reservation in answer to an event, at most once per event id for `consumer`:
     * the inbox entry and the stock change commit together.
     */
    async settleOnce(consumer: string, event: EventEnvelope, orderId: string, settlement: Settlement): Promise<SettleResult | null> {
      let result: SettleResult | null = null;
      await handleOnce(db, consumer, event, async (trx) => {
        result = await settleIn(trx as Db, orderId, settlement, null);
      });
      return result;
    },

    /**
     * Expires one active reservation whose time is up, if any. `SKIP LOCKED` lets several
     * replicas sweep at once, each taking reservations the others are not working on.
     */
    expireNext(now: Date): Promise<(SettleResult & { orderId: string }) | null> {
      return db.transaction().execute(async (trx) => {
        const row = await trx
          .selectFrom('stock_reservations')
          .selectAll()
          .where('status', '=', 'ACTIVE')
          .where('expires_at', '<=', now)
          .orderBy('expires_at')
          .limit(1)
          .forUpdate()
          .skipLocked()
          .executeTakeFirst();
        if (!row) return null;
        return { orderId: row.order_id, ...(await settleLocked(trx, row, 'expire')) };
      });
    },
  };
}

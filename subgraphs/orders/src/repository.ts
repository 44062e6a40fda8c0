import { sql, type ExpressionBuilder, type Kysely, type Selectable } from 'kysely';
import type { OrdersDatabase, OrdersTable } from './db/schema.js';
import type { Order, OrderCursor, OrderLine, OrderPage, OrderStatusChange, PageRequest } from './model.js';
import { INITIAL_STATUS, isOrderStatus, type OrderStatus } from './statusMachine.js';

/** What checkout hands over to be stored: lines already priced, totals already summed. */
export interface NewOrder {
  userId: string;
  idempotencyKey: string;
  currency: string;
  subtotalMinor: number;
  totalMinor: number;
  lines: Array<{ productId: string; quantity: number; unitPriceMinor: number }>;
}

export type OrdersRepository = ReturnType<typeof createOrdersRepository>;

// Order ids are PostgreSQL uuids; anything else cannot match and must not reach the driver,
// where it would be a cast error instead of "not found".
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isOrderId(value: string): boolean {
  return UUID.test(value);
}

/** The only code that touches the orders store. Reads are batch-shaped: many keys, one query. */
export function createOrdersRepository(db: Kysely<OrdersDatabase>) {
  return {
    async findByIds(ids: readonly string[]): Promise<Order[]> {
      const valid = ids.filter(isOrderId);
      if (valid.length === 0) return [];
      const rows = await db.selectFrom('orders').selectAll().where('id', 'in', valid).execute();
      return rows.map(toOrder);
    },

    async findByIdempotencyKey(userId: string, idempotencyKey: string): Promise<Order | null> {
      const row = await db
        .selectFrom('orders')
        .selectAll()
        .where('user_id', '=', userId)
        .where('idempotency_key', '=', idempotencyKey)
        .executeTakeFirst();
      return row ? toOrder(row) : null;
    },

    /** Lines of many orders, each order's in checkout order. */
    async findLinesByOrderIds(orderIds: readonly string[]): Promise<OrderLine[]> {
      if (orderIds.length === 0) return [];
      const rows = await db
        .selectFrom('order_items')
        .selectAll()
        .where('order_id', 'in', orderIds)
        .orderBy('order_id')
        .orderBy('position')
        .execute();
      return rows.map((row) => ({
        orderId: row.order_id,
        productId: row.product_id,
        quantity: row.quantity,
        unitPriceMinor: row.unit_price_minor,
        currency: row.currency,
      }));
    },

    /** Status history of many orders, each order's oldest first. */
    async findHistoryByOrderIds(orderIds: readonly string[]): Promise<OrderStatusChange[]> {
      if (orderIds.length === 0) return [];
      const rows = await db
        .selectFrom('order_status_history')
        .selectAll()
        .where('order_id', 'in', orderIds)
        .orderBy('order_id')
        .orderBy('id')
        .execute();
      return rows.map((row) => ({ orderId: row.order_id, status: statusOf(row.status), at: row.at, actor: row.actor }));
    },

    /**
     * One page of orders for each of many users, in ONE statement: a lateral join runs the
     * per-user "newest first, after the cursor, limit n+1" on the (user_id, created_at) index,
     * and a scalar subquery counts each user's matches. Returns one page per user id, in order.
     */
    async pageByUserIds(userIds: readonly string[], page: PageRequest): Promise<OrderPage[]> {
      if (userIds.length === 0) return [];
      const unique = [...new Set(userIds)];
      const rows = await db
        .selectFrom(
          db.selectNoFrom(sql<string>`unnest(${sql.val(unique)}::text[])`.as('user_id')).as('owner'),
        )
        .leftJoinLateral(
          (eb) =>
            eb
              .selectFrom('orders')
              .selectAll('orders')
              .whereRef('orders.user_id', '=', 'owner.user_id')
              .$if(page.status !== null, (qb) => qb.where('orders.status', '=', page.status!))
              .$if(page.after !== null, (qb) => qb.where((w) => before(w, page.after!)))
              .orderBy('orders.created_at', 'desc')
              .orderBy('orders.id', 'desc')
              .limit(page.first + 1)
              .as('o'),
          (join) => join.onTrue(),
        )
        .select((eb) => [
          'owner.user_id as owner_id',
          eb
            .selectFrom('orders as c')
            .select(eb.fn.countAll<number>().as('n'))
            .whereRef('c.user_id', '=', 'owner.user_id')
            .$if(page.status !== null, (qb) => qb.where('c.status', '=', page.status!))
            .as('total_count'),
        ])
        .selectAll('o')
        .orderBy('owner.user_id')
        .orderBy('o.created_at', 'desc')
        .orderBy('o.id', 'desc')
        .execute();

      const pages = new Map<string, { orders: Order[]; totalCount: number }>();
      for (const row of rows) {
        const entry = pages.get(row.owner_id) ?? { orders: [], totalCount: Number(row.total_count ?? 0) };
        pages.set(row.owner_id, entry);
        // A user without matching orders still gets one row (the left join), with no order in it.
        if (row.id !== null) entry.orders.push(toOrder(row as Selectable<OrdersTable>));
      }
      return userIds.map((userId) => {
        const entry = pages.get(userId) ?? { orders: [], totalCount: 0 };
        return {
          orders: entry.orders.slice(0, page.first),
          hasNextPage: entry.orders.length > page.first,
          totalCount: entry.totalCount,
        };
      });
    },

    /** A page of everybody's orders, newest first. */
    async page(page: PageRequest): Promise<{ orders: Order[]; hasNextPage: boolean }> {
      const rows = await db
        .selectFrom('orders')
        .selectAll()
        .$if(page.status !== null, (qb) => qb.where('status', '=', page.status!))
        .$if(page.after !== null, (qb) => qb.where((w) => before(w, page.after!)))
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(page.first + 1)
        .execute();
      return { orders: rows.slice(0, page.first).map(toOrder), hasNextPage: rows.length > page.first };
    },

    async count(status: OrderStatus | null): Promise<number> {
      const row = await db
        .selectFrom('orders')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .$if(status !== null, (qb) => qb.where('status', '=', status!))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },

    /**
     * Stores an order, its lines and its first history entry in one transaction. Returns null,
     * having written nothing, when the user already has an order under this idempotency key
     * (also when a concurrent request stored it a moment ago: the insert waits for that
     * transaction and then does nothing).
     */
    async create(order: NewOrder, actor: string): Promise<Order | null> {
      return db.transaction().execute(async (trx) => {
        const row = await trx
          .insertInto('orders')
          .values({
            user_id: order.userId,
            status: INITIAL_STATUS,
            currency: order.currency,
            subtotal_minor: order.subtotalMinor,
            total_minor: order.totalMinor,
            idempotency_key: order.idempotencyKey,
          })
          .onConflict((oc) => oc.columns(['user_id', 'idempotency_key']).doNothing())
          .returningAll()
          .executeTakeFirst();
        if (!row) return null;
        await trx
          .insertInto('order_items')
          .values(
            order.lines.map((line, position) => ({
              order_id: row.id,
              position,
              product_id: line.productId,
              quantity: line.quantity,
              unit_price_minor: line.unitPriceMinor,
              currency: order.currency,
            })),
          )
          .execute();
        await trx
          .insertInto('order_status_history')
          .values({ order_id: row.id, status: INITIAL_STATUS, at: row.created_at, actor })
          .execute();
        return toOrder(row);
      });
    },

    /**
     * Moves an order from `from` to `to` and appends the history entry, in one transaction.
     * Returns null, changing nothing, when the order is no longer in `from` (someone else moved
     * it first), so two racing transitions can never both apply.
     */
    async transition(orderId: string, from: OrderStatus, to: OrderStatus, actor: string): Promise<Order | null> {
      return db.transaction().execute(async (trx) => {
        const row = await trx
          .updateTable('orders')
          .set({ status: to, updated_at: sql<Date>`now()` })
          .where('id', '=', orderId)
          .where('status', '=', from)
          .returningAll()
          .executeTakeFirst();
        if (!row) return null;
        await trx
          .insertInto('order_status_history')
          .values({ order_id: orderId, status: to, at: row.updated_at, actor })
          .execute();
        return toOrder(row);
      });
    },
  };
}

/** Strictly after `cursor` in newest-first order. */
function before(eb: ExpressionBuilder<OrdersDatabase, 'orders'>, cursor: OrderCursor) {
  return eb(eb.refTuple('orders.created_at', 'orders.id'), '<', eb.tuple(cursor.createdAt, cursor.id));
}

function toOrder(row: Selectable<OrdersTable>): Order {
  return {
    id: row.id,
    orderNumber: row.order_number,
    userId: row.user_id,
    status: statusOf(row.status),
    currency: row.currency,
    subtotalMinor: row.subtotal_minor,
    totalMinor: row.total_minor,
    createdAt: row.created_at,
  };
}

function statusOf(value: string): OrderStatus {
  if (!isOrderStatus(value)) throw new Error(`Unknown order status in the store: ${value}`);
  return value;
}

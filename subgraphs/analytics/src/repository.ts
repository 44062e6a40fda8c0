import { sql, type Kysely } from 'kysely';
import type { EventEnvelope } from '@shop/events';
import type { AnalyticsDatabase, OrderItem } from './db/schema.js';

type Db = Kysely<AnalyticsDatabase>;

/** An order's facts as the projection reads them (`sale_day` as `YYYY-MM-DD`). */
export interface OrderFact {
  orderId: string;
  /** Who placed it, once `order.placed` is known. */
  userId: string | null;
  placed: boolean;
  currency: string | null;
  items: OrderItem[];
  paymentId: string | null;
  paidMinor: number;
  paidCurrency: string | null;
  saleDay: string | null;
  refundedMinor: number;
  productsCounted: boolean;
  discountMinor: number;
  promoCode: string | null;
}

export interface SalesTotals {
  orderCount: number;
  revenueMinor: number;
  refundedMinor: number;
  discountMinor: number;
  promotionOrderCount: number;
}

/** What one event adds to a day's sales; the promotion figures are counted with the order's items. */
export interface DailySalesDelta {
  day: string;
  currency: string;
  orderCount: number;
  revenueMinor: number;
  refundedMinor: number;
  discountMinor?: number;
  promotionOrderCount?: number;
}

export interface ProductSales {
  productId: string;
  units: number;
  revenueMinor: number;
}

// Live handlers share it, a rebuild takes it alone: events handled while a rebuild runs wait
// for it and then apply to the rebuilt aggregates, so none is lost or counted twice.
const AGGREGATES_LOCK = sql`hashtext('analytics.aggregates')`;

/**
 * The only code touching the store. Every write takes the transaction it belongs to (the
 * consumer's `handleOnce` transaction or the rebuild's), so nothing is half-written.
 */
export const repository = {
  async lockAggregatesShared(trx: Db): Promise<void> {
    await sql`SELECT pg_advisory_xact_lock_shared(${AGGREGATES_LOCK})`.execute(trx);
  },

  async lockAggregatesExclusive(trx: Db): Promise<void> {
    await sql`SELECT pg_advisory_xact_lock(${AGGREGATES_LOCK})`.execute(trx);
  },

  async logEvent(trx: Db, event: EventEnvelope): Promise<void> {
    await trx
      .insertInto('event_log')
      .values({
        id: event.id,
        type: event.type,
        source: event.source,
        key: event.key,
        occurred_at: event.occurredAt,
        payload: JSON.stringify(event.data ?? null),
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
  },

  /** One page of the history in handling order, after `afterSeq`. */
  async eventLogPage(trx: Db, afterSeq: number, limit: number): Promise<Array<{ seq: number; event: EventEnvelope }>> {
    const rows = await trx
      .selectFrom('event_log')
      .select(['seq', 'id', 'type', 'source', 'key', 'occurred_at', 'payload'])
      .where('seq', '>', afterSeq)
      .orderBy('seq')
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      seq: r.seq,
      event: { id: r.id, type: r.type, source: r.source, key: r.key, occurredAt: r.occurred_at.toISOString(), data: r.payload },
    }));
  },

  /** Empties what the history rebuilds: the aggregates, recommendations' purchase tables and the order facts (not the log, not the inbox). */
  async clearAggregates(trx: Db): Promise<void> {
    await sql`TRUNCATE daily_sales, daily_product_sales, order_facts, co_purchases, user_purchases, product_popularity`.execute(trx);
  },

  /** The order's facts, locked for this transaction; the row is created empty when new. */
  async lockOrderFact(trx: Db, orderId: string): Promise<OrderFact> {
    await trx.insertInto('order_facts').values({ order_id: orderId }).onConflict((oc) => oc.column('order_id').doNothing()).execute();
    const row = await trx
      .selectFrom('order_facts')
      .select([
        'order_id',
        'user_id',
        'placed_at',
        'currency',
        'items',
        'payment_id',
        'paid_minor',
        'paid_currency',
        sql<string | null>`sale_day::text`.as('sale_day'),
        'refunded_minor',
        'products_counted',
        'discount_minor',
        'promo_code',
      ])
      .where('order_id', '=', orderId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    return {
      orderId: row.order_id,
      userId: row.user_id,
      placed: row.placed_at !== null,
      currency: row.currency,
      items: row.items ?? [],
      paymentId: row.payment_id,
      paidMinor: row.paid_minor ?? 0,
      paidCurrency: row.paid_currency,
      saleDay: row.sale_day,
      refundedMinor: row.refunded_minor,
      productsCounted: row.products_counted,
      discountMinor: row.discount_minor,
      promoCode: row.promo_code,
    };
  },

  async setPlaced(
    trx: Db,
    fact: { orderId: string; userId: string; placedAt: string; currency: string; totalMinor: number; discountMinor: number; promoCode: string | null; items: OrderItem[] },
  ): Promise<void> {
    await trx
      .updateTable('order_facts')
      .set({
        user_id: fact.userId,
        placed_at: fact.placedAt,
        currency: fact.currency,
        total_minor: fact.totalMinor,
        discount_minor: fact.discountMinor,
        promo_code: fact.promoCode,
        items: JSON.stringify(fact.items),
      })
      .where('order_id', '=', fact.orderId)
      .execute();
  },

  async setPaid(trx: Db, orderId: string, payment: { paymentId: string; amountMinor: number; currency: string; day: string }): Promise<void> {
    await trx
      .updateTable('order_facts')
      .set({ payment_id: payment.paymentId, paid_minor: payment.amountMinor, paid_currency: payment.currency, sale_day: payment.day })
      .where('order_id', '=', orderId)
      .execute();
  },

  async addRefunded(trx: Db, orderId: string, amountMinor: number): Promise<void> {
    await trx
      .updateTable('order_facts')
      .set((eb) => ({ refunded_minor: eb('refunded_minor', '+', amountMinor) }))
      .where('order_id', '=', orderId)
      .execute();
  },

  async markProductsCounted(trx: Db, orderId: string): Promise<void> {
    await trx.updateTable('order_facts').set({ products_counted: true }).where('order_id', '=', orderId).execute();
  },

  async addDailySales(trx: Db, row: DailySalesDelta): Promise<void> {
    await trx
      .insertInto('daily_sales')
      .values({
        day: row.day,
        currency: row.currency,
        order_count: row.orderCount,
        revenue_minor: row.revenueMinor,
        refunded_minor: row.refundedMinor,
        discount_minor: row.discountMinor ?? 0,
        promotion_order_count: row.promotionOrderCount ?? 0,
      })
      .onConflict((oc) =>
        oc.columns(['day', 'currency']).doUpdateSet((eb) => ({
          order_count: eb('daily_sales.order_count', '+', eb.ref('excluded.order_count')),
          revenue_minor: eb('daily_sales.revenue_minor', '+', eb.ref('excluded.revenue_minor')),
          refunded_minor: eb('daily_sales.refunded_minor', '+', eb.ref('excluded.refunded_minor')),
          discount_minor: eb('daily_sales.discount_minor', '+', eb.ref('excluded.discount_minor')),
          promotion_order_count: eb('daily_sales.promotion_order_count', '+', eb.ref('excluded.promotion_order_count')),
        })),
      )
      .execute();
  },

  /** `lines` must name each product once (one row per conflict target in a single INSERT). */
  async addDailyProductSales(trx: Db, day: string, currency: string, lines: ProductSales[]): Promise<void> {
    if (lines.length === 0) return;
    await trx
      .insertInto('daily_product_sales')
      .values(lines.map((l) => ({ day, currency, product_id: l.productId, units: l.units, revenue_minor: l.revenueMinor })))
      .onConflict((oc) =>
        oc.columns(['day', 'currency', 'product_id']).doUpdateSet((eb) => ({
          units: eb('daily_product_sales.units', '+', eb.ref('excluded.units')),
          revenue_minor: eb('daily_product_sales.revenue_minor', '+', eb.ref('excluded.revenue_minor')),
        })),
      )
      .execute();
  },

  /** Sums over the days `fromDay..toDay` (inclusive, `YYYY-MM-DD`) in one currency. */
  async salesTotals(db: Db, fromDay: string, toDay: string, currency: string): Promise<SalesTotals> {
    const row = await db
      .selectFrom('daily_sales')
      .select([
        sql<number>`coalesce(sum(order_count), 0)::bigint`.as('order_count'),
        sql<number>`coalesce(sum(revenue_minor), 0)::bigint`.as('revenue_minor'),
        sql<number>`coalesce(sum(refunded_minor), 0)::bigint`.as('refunded_minor'),
        sql<number>`coalesce(sum(discount_minor), 0)::bigint`.as('discount_minor'),
        sql<number>`coalesce(sum(promotion_order_count), 0)::bigint`.as('promotion_order_count'),
      ])
      .where('day', '>=', fromDay)
      .where('day', '<=', toDay)
      .where('currency', '=', currency)
      .executeTakeFirstOrThrow();
    return {
      orderCount: row.order_count,
      revenueMinor: row.revenue_minor,
      refundedMinor: row.refunded_minor,
      discountMinor: row.discount_minor,
      promotionOrderCount: row.promotion_order_count,
    };
  },

  /** The best-selling products over the days, by revenue, then units, then id. */
  async topProducts(db: Db, fromDay: string, toDay: string, currency: string, limit: number): Promise<ProductSales[]> {
    const rows = await db
      .selectFrom('daily_product_sales')
      .select([
        'product_id',
        sql<number>`sum(units)::bigint`.as('units'),
        sql<number>`sum(revenue_minor)::bigint`.as('revenue_minor'),
      ])
      .where('day', '>=', fromDay)
      .where('day', '<=', toDay)
      .where('currency', '=', currency)
      .groupBy('product_id')
      .orderBy(sql`sum(revenue_minor)`, 'desc')
      .orderBy(sql`sum(units)`, 'desc')
      // Byte order, so the tie-break does not depend on the database's collation.
      .orderBy(sql`product_id COLLATE "C"`)
      .limit(limit)
      .execute();
    return rows.map((r) => ({ productId: r.product_id, units: r.units, revenueMinor: r.revenue_minor }));
  },
};

/** What `salesReport` reads, on the request pool: the service sees no database. */
export interface SalesReader {
  salesTotals(fromDay: string, toDay: string, currency: string): Promise<SalesTotals>;
  topProducts(fromDay: string, toDay: string, currency: string, limit: number): Promise<ProductSales[]>;
}

export function createSalesReader(db: Db): SalesReader {
  return {
    salesTotals: (fromDay, toDay, currency) => repository.salesTotals(db, fromDay, toDay, currency),
    topProducts: (fromDay, toDay, currency, limit) => repository.topProducts(db, fromDay, toDay, currency, limit),
  };
}

import type { ColumnType, Generated } from 'kysely';

/** The analytics store as kysely sees it: one interface per table, columns as the driver returns them. */
export interface AnalyticsDatabase {
  event_log: EventLogTable;
  order_facts: OrderFactsTable;
  daily_sales: DailySalesTable;
  daily_product_sales: DailyProductSalesTable;
  co_purchases: CoPurchasesTable;
  user_purchases: UserPurchasesTable;
  product_popularity: ProductPopularityTable;
  catalog_status: CatalogStatusTable;
}

/** Every consumed event, in the order it was handled: the history a rebuild replays. */
export interface EventLogTable {
  id: string;
  /** Handling order; the replay follows it, so it reproduces live consumption exactly. */
  seq: ColumnType<number, never, never>;
  type: string;
  source: string;
  key: string;
  occurred_at: ColumnType<Date, string, never>;
  /** The envelope's `data`. */
  payload: ColumnType<unknown, string, never>;
  logged_at: Generated<Date>;
}

/**
 * What analytics knows of one order: the `order.placed` half (user, items...) and the counted
 * payment's half, whichever came first. Dates (`sale_day`) are read as `YYYY-MM-DD` text.
 */
export interface OrderFactsTable {
  order_id: string;
  user_id: string | null;
  placed_at: ColumnType<Date | null, string | null, string | null>;
  currency: string | null;
  total_minor: number | null;
  /** `[{ productId, quantity, unitPriceMinor }]` from `order.placed`. */
  items: ColumnType<OrderItem[] | null, string | null, string | null>;
  /** The payment counted as this order's sale; a later, different one is not counted. */
  payment_id: string | null;
  paid_minor: number | null;
  paid_currency: string | null;
  /** The UTC day the payment succeeded: the day the order, its revenue and its items count on. */
  sale_day: ColumnType<string | null, string | null, string | null>;
  refunded_minor: Generated<number>;
  /** True once the items were added to `daily_product_sales` (needs both halves). */
  products_counted: Generated<boolean>;
  /** What the order's promotion code took off (from `order.placed`). */
  discount_minor: Generated<number>;
  promo_code: string | null;
}

export interface OrderItem {
  productId: string;
  quantity: number;
  unitPriceMinor: number;
}

/** Per UTC day and currency: paid orders, what they took and what was refunded that day. */
export interface DailySalesTable {
  day: string;
  currency: string;
  order_count: number;
  revenue_minor: number;
  refunded_minor: number;
  /** What promotion codes took off the day's paid orders. */
  discount_minor: Generated<number>;
  /** The day's paid orders that redeemed a code. */
  promotion_order_count: Generated<number>;
}

/** Per UTC day, product and currency: units in paid orders and their item revenue. */
export interface DailyProductSalesTable {
  day: string;
  product_id: string;
  currency: string;
  units: number;
  revenue_minor: number;
}

/** Paid orders holding both products (each pair stored in both directions). */
export interface CoPurchasesTable {
  product_id: string;
  other_id: string;
  orders: number;
}

/** Units of each product in a user's paid orders: their history for `recommendedForMe`. */
export interface UserPurchasesTable {
  user_id: string;
  product_id: string;
  units: number;
}

/** All-time units and paid orders per product: the best sellers. */
export interface ProductPopularityTable {
  product_id: string;
  units: number;
  orders: number;
}

/** Whether a product may be recommended: not archived, and in stock (null: not known yet). */
export interface CatalogStatusTable {
  product_id: string;
  archived: Generated<boolean>;
  in_stock: boolean | null;
  stock_at: ColumnType<Date | null, string | null, string | null>;
}

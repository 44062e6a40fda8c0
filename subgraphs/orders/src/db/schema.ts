import type { ColumnType, Generated } from 'kysely';

/** The orders store as kysely sees it: one interface per table, columns as the driver returns them. */
export interface OrdersDatabase {
  orders: OrdersTable;
  order_items: OrderItemsTable;
  order_status_history: OrderStatusHistoryTable;
  promotions: PromotionsTable;
  promotion_redemptions: PromotionRedemptionsTable;
  order_refunds: OrderRefundsTable;
}

export interface OrdersTable {
  id: Generated<string>;
  order_number: Generated<string>;
  user_id: string;
  status: string;
  currency: string;
  subtotal_minor: number;
  total_minor: number;
  idempotency_key: string;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  /** The cart checked out; null for orders placed before carts existed. */
  cart_id: string | null;
  shipping_minor: Generated<number>;
  discount_minor: Generated<number>;
  shipping_method_id: string;
  /** The address as it was at checkout (`AddressSnapshot`), kept whatever the user edits later. */
  shipping_address: ColumnType<AddressSnapshotColumn, string, string>;
  payment_failures: Generated<number>;
  /** The promotion code redeemed with the order; null without one. */
  promo_code: string | null;
  /** What refunds returned so far, at most `total_minor`. */
  refunded_minor: Generated<number>;
}

/** `orders.shipping_address`: the address at checkout and the id it had in the users subgraph. */
export interface AddressSnapshotColumn {
  addressId: string | null;
  name: string;
  line1: string;
  line2: string | null;
  city: string;
  postalCode: string;
  country: string;
}

export interface OrderItemsTable {
  order_id: string;
  position: number;
  product_id: string;
  quantity: number;
  unit_price_minor: number;
  currency: string;
  /** The line's share of the order's discount (pro rata to its total). */
  discount_minor: Generated<number>;
  /** Units refunded so far, at most `quantity`. */
  refunded_quantity: Generated<number>;
  /** The variant bought, as at checkout (`VariantSnapshot`); all null for a product sold in one form. */
  variant_id: string | null;
  variant_sku: string | null;
  variant_name: string | null;
  variant_size: string | null;
  variant_color: string | null;
}

/** A refund of some lines (`items`: `RefundItemColumn[]`); `shipping_minor` is part of `amount_minor`. */
export interface OrderRefundsTable {
  id: Generated<string>;
  order_id: string;
  idempotency_key: string;
  amount_minor: number;
  shipping_minor: number;
  currency: string;
  items: ColumnType<RefundItemColumn[], string, string>;
  actor: string;
  created_at: Generated<Date>;
}

export interface RefundItemColumn {
  productId: string;
  /** The line's variant; absent in refunds from before variants and for lines without one. */
  variantId?: string | null;
  quantity: number;
  amountMinor: number;
}

export interface OrderStatusHistoryTable {
  id: ColumnType<number, never, never>;
  order_id: string;
  status: string;
  at: Generated<Date>;
  actor: string;
  reason: string | null;
}

export interface PromotionsTable {
  id: Generated<string>;
  code: string;
  kind: string;
  /** PERCENTAGE only: hundredths of a percent (1250 = 12.5 %). */
  percent_bp: number | null;
  /** FIXED_AMOUNT only: minor units of `currency`. */
  amount_minor: number | null;
  /** The currency of `amount_minor` and `min_subtotal_minor`; null when the promotion has neither. */
  currency: string | null;
  min_subtotal_minor: number | null;
  starts_at: Date | null;
  ends_at: Date | null;
  usage_limit: number | null;
  per_customer_limit: number | null;
  times_used: Generated<number>;
  created_at: Generated<Date>;
}

export interface PromotionRedemptionsTable {
  order_id: string;
  promotion_id: string;
  user_id: string;
  redeemed_at: Generated<Date>;
  released_at: Date | null;
}

import type { ColumnType, Generated } from 'kysely';

/** The orders store as kysely sees it: one interface per table, columns as the driver returns them. */
export interface OrdersDatabase {
  orders: OrdersTable;
  order_items: OrderItemsTable;
  order_status_history: OrderStatusHistoryTable;
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
}

export interface OrderStatusHistoryTable {
  id: ColumnType<number, never, never>;
  order_id: string;
  status: string;
  at: Generated<Date>;
  actor: string;
  reason: string | null;
}

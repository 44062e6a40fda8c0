import type { Selectable } from 'kysely';
import type { OrderItemsTable, OrdersTable } from './db/schema.js';
import type { Order, OrderLine } from './model.js';
import { isOrderStatus, type OrderStatus } from './statusMachine.js';
import { variantOf } from './variantColumns.js';

// Rows of the orders store as the domain reads them (repository.ts and its page statement).

// What `toOrder` reads: a page of orders selects these, not `updated_at` or `idempotency_key`.
export const ORDER_COLUMNS = [
  'id',
  'order_number',
  'user_id',
  'status',
  'currency',
  'subtotal_minor',
  'shipping_minor',
  'discount_minor',
  'total_minor',
  'shipping_method_id',
  'shipping_address',
  'cart_id',
  'payment_failures',
  'promo_code',
  'refunded_minor',
  'created_at',
] as const satisfies ReadonlyArray<keyof OrdersTable>;

export type OrderRow = Pick<Selectable<OrdersTable>, (typeof ORDER_COLUMNS)[number]>;

// What a page's lines carry, each line a JSON array of these columns in this order (`LineColumns`):
// no keys, so PostgreSQL builds and Node parses less than for an object per line.
export const LINE_COLUMNS = [
  'product_id',
  'quantity',
  'unit_price_minor',
  'currency',
  'discount_minor',
  'refunded_quantity',
  'variant_id',
  'variant_sku',
  'variant_name',
  'variant_size',
  'variant_color',
] as const satisfies ReadonlyArray<keyof OrderItemsTable>;

type LineRow = Selectable<OrderItemsTable>;
type ValuesOf<T extends ReadonlyArray<keyof LineRow>> = { -readonly [I in keyof T]: LineRow[T[I] & keyof LineRow] };
export type LineColumns = ValuesOf<typeof LINE_COLUMNS>;

export function toOrder(row: OrderRow): Order {
  return {
    id: row.id,
    orderNumber: row.order_number,
    userId: row.user_id,
    status: statusOf(row.status),
    currency: row.currency,
    subtotalMinor: row.subtotal_minor,
    shippingMinor: row.shipping_minor,
    discountMinor: row.discount_minor,
    totalMinor: row.total_minor,
    shippingMethodId: row.shipping_method_id,
    shippingAddress: row.shipping_address,
    cartId: row.cart_id,
    paymentFailures: row.payment_failures,
    promoCode: row.promo_code,
    refundedMinor: row.refunded_minor,
    createdAt: row.created_at,
  };
}

export function toLine(row: Selectable<OrderItemsTable>): OrderLine {
  return {
    orderId: row.order_id,
    productId: row.product_id,
    variant: variantOf(row),
    quantity: row.quantity,
    unitPriceMinor: row.unit_price_minor,
    currency: row.currency,
    discountMinor: row.discount_minor,
    refundedQuantity: row.refunded_quantity,
  };
}

/** `toLine` for a line of a page (`LINE_COLUMNS`) of the order `orderId`. */
export function toLineOf(orderId: string, line: LineColumns): OrderLine {
  const [productId, quantity, unitPriceMinor, currency, discountMinor, refundedQuantity, variantId, variantSku, variantName, variantSize, variantColor] = line;
  return {
    orderId,
    productId,
    variant: variantOf({ variant_id: variantId, variant_sku: variantSku, variant_name: variantName, variant_size: variantSize, variant_color: variantColor }),
    quantity,
    unitPriceMinor,
    currency,
    discountMinor,
    refundedQuantity,
  };
}

export function statusOf(value: string): OrderStatus {
  if (!isOrderStatus(value)) throw new Error(`Unknown order status in the store: ${value}`);
  return value;
}


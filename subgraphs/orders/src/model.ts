import type { OrderStatus } from './statusMachine.js';

/** Where an order goes, copied from the customer's address book at checkout. */
export interface AddressSnapshot {
  /** The address's id in the users subgraph at checkout; null for orders from before shipping. */
  addressId: string | null;
  name: string;
  line1: string;
  line2: string | null;
  city: string;
  postalCode: string;
  country: string;
}

/**
 * An order as the service works with it: money in integer minor units of `currency`;
 * `totalMinor = subtotalMinor + shippingMinor - discountMinor`.
 */
export interface Order {
  id: string;
  orderNumber: string;
  userId: string;
  status: OrderStatus;
  currency: string;
  subtotalMinor: number;
  shippingMinor: number;
  discountMinor: number;
  totalMinor: number;
  shippingMethodId: string;
  shippingAddress: AddressSnapshot;
  /** The cart it was checked out from; null for orders placed before carts existed. */
  cartId: string | null;
  /** Failed payment attempts while it waited for payment. */
  paymentFailures: number;
  /** The promotion code redeemed with it; null without one. */
  promoCode: string | null;
  /** What refunds returned so far (line refunds; a whole refund is the payment's). */
  refundedMinor: number;
  createdAt: Date;
  /** Its lines, when they were read with it (a page that asks for them); else a loader reads them. */
  lines?: OrderLine[];
}

/** The variant (size, colour) a line was ordered in, as the catalog described it at checkout. */
export interface VariantSnapshot {
  id: string;
  sku: string;
  /** Display name, e.g. "M / Heather Grey". */
  name: string;
  size: string | null;
  color: string | null;
}

/** One line of an order, priced when the order was placed: a product, in one variant when it has them. */
export interface OrderLine {
  orderId: string;
  productId: string;
  /** Null for a product sold in one form (and every line from before variants). */
  variant: VariantSnapshot | null;
  quantity: number;
  unitPriceMinor: number;
  currency: string;
  /** The line's share of the order's discount, in proportion to its total. */
  discountMinor: number;
  /** Units refunded so far. */
  refundedQuantity: number;
}

/** A refund of some lines of an order, in minor units of `currency`; `shippingMinor` is part of `amountMinor`. */
export interface OrderRefund {
  id: string;
  orderId: string;
  amountMinor: number;
  shippingMinor: number;
  currency: string;
  /** `variantId` on lines with a variant. */
  items: Array<{ productId: string; variantId?: string | null; quantity: number; amountMinor: number }>;
  createdAt: Date;
}

export interface OrderStatusChange {
  orderId: string;
  status: OrderStatus;
  at: Date;
  /** Who caused it: a user id, or the name of the process. */
  actor: string;
  /** Why, when known: "payment window expired", the customer's return reason, ... */
  reason: string | null;
}

/** A position in a newest-first list of orders. */
export interface OrderCursor {
  createdAt: Date;
  id: string;
}

export interface PageRequest {
  first: number;
  after: OrderCursor | null;
  status: OrderStatus | null;
}

/** One page of a newest-first list of orders. */
export interface OrderPage {
  orders: Order[];
  hasNextPage: boolean;
  /** How many match across all pages; a function when it costs a query of its own. */
  totalCount: number | (() => Promise<number>);
}

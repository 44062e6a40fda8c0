import type { OrderStatus } from './statusMachine.js';

/** An order as the service works with it: money in integer minor units of `currency`. */
export interface Order {
  id: string;
  orderNumber: string;
  userId: string;
  status: OrderStatus;
  currency: string;
  subtotalMinor: number;
  totalMinor: number;
  createdAt: Date;
}

/** One line of an order, priced when the order was placed. */
export interface OrderLine {
  orderId: string;
  productId: string;
  quantity: number;
  unitPriceMinor: number;
  currency: string;
}

export interface OrderStatusChange {
  orderId: string;
  status: OrderStatus;
  at: Date;
  /** Who caused it: a user id, or the name of the process. */
  actor: string;
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

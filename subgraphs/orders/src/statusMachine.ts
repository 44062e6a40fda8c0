import { conflict } from '@shop/errors';

/**
 * The order state machine, in one place: which status may follow which. Pure: no I/O, so
 * every path through it is unit-tested and every caller (customer and admin commands, payment,
 * stock and shipping events) is held to the same table: the repository refuses any other move.
 */

export const ORDER_STATUSES = [
  'PENDING_PAYMENT',
  'PAID',
  'FULFILLING',
  'SHIPPED',
  'DELIVERED',
  'CANCELLED',
  'RETURN_REQUESTED',
  'PARTIALLY_REFUNDED',
  'REFUNDED',
] as const;

export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const INITIAL_STATUS: OrderStatus = 'PENDING_PAYMENT';

const TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  PENDING_PAYMENT: ['PAID', 'CANCELLED'],
  // A shipment may be created straight from PAID when nobody recorded a fulfilment step.
  PAID: ['FULFILLING', 'SHIPPED', 'CANCELLED'],
  FULFILLING: ['SHIPPED', 'CANCELLED'],
  SHIPPED: ['DELIVERED'],
  DELIVERED: ['RETURN_REQUESTED'],
  // Line refunds (refundRules.ts) may return part of a returned order, then more of it.
  RETURN_REQUESTED: ['PARTIALLY_REFUNDED', 'REFUNDED'],
  PARTIALLY_REFUNDED: ['RETURN_REQUESTED', 'REFUNDED'],
  CANCELLED: [],
  REFUNDED: [],
};

/**
 * A customer may cancel on their own only before anything has been done with the order;
 * once it is being fulfilled, only an ADMIN can stop it.
 */
export const CUSTOMER_CANCELLABLE: readonly OrderStatus[] = ['PENDING_PAYMENT', 'PAID'];

export function isOrderStatus(value: unknown): value is OrderStatus {
  return typeof value === 'string' && (ORDER_STATUSES as readonly string[]).includes(value);
}

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** Throws CONFLICT naming both statuses when `to` may not follow `from`. */
export function assertTransition(from: OrderStatus, to: OrderStatus): void {
  if (!canTransition(from, to)) {
    throw conflict(`An order that is ${from} cannot become ${to}`, { reason: 'ILLEGAL_TRANSITION', status: from, from, to });
  }
}

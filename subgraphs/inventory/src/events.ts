import { createEvent, type EventEnvelope } from '@shop/events';
import type { ReservationItem } from './reservations.js';

// The events inventory produces, shaped exactly as docs/events.md lists them.

const SOURCE = 'inventory';

/** A product's stock summed over its warehouses. */
export interface StockTotals {
  productId: string;
  onHand: number;
  reserved: number;
}

/** Totals before and after one change, both read under the change's row locks. */
export interface StockChange extends StockTotals {
  /** What was available just before: consumers tell a restock (0 to more) from any other movement. */
  previousAvailable: number;
}

export type ReleaseReason = 'cancelled' | 'expired';

export function stockChanged(change: StockChange): EventEnvelope {
  const available = change.onHand - change.reserved;
  return createEvent(SOURCE, 'stock.changed', change.productId, {
    productId: change.productId,
    available,
    reserved: change.reserved,
    onHand: change.onHand,
    inStock: available > 0,
    previousAvailable: change.previousAvailable,
  });
}

export function stockReserved(orderId: string, items: readonly ReservationItem[], expiresAt: Date): EventEnvelope {
  return createEvent(SOURCE, 'stock.reserved', orderId, {
    orderId,
    items: items.map(({ productId, quantity }) => ({ productId, quantity })),
    expiresAt: expiresAt.toISOString(),
  });
}

export function reservationReleased(orderId: string, reason: ReleaseReason): EventEnvelope {
  return createEvent(SOURCE, 'stock.reservation_released', orderId, { orderId, reason });
}

export function reservationCommitted(orderId: string): EventEnvelope {
  return createEvent(SOURCE, 'stock.reservation_committed', orderId, { orderId });
}

/** A cart's hold has a fifth of its time left: the cart subgraph warns its shopper (`reservationExpiring`). */
export function stockHoldExpiring(cartId: string, items: readonly ReservationItem[], expiresAt: Date): EventEnvelope {
  return createEvent(SOURCE, 'stock.hold_expiring', cartId, {
    cartId,
    items: items.map(({ productId, quantity }) => ({ productId, quantity })),
    expiresAt: expiresAt.toISOString(),
  });
}

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

export type ReleaseReason = 'cancelled' | 'expired';

export function stockChanged(totals: StockTotals): EventEnvelope {
  const available = totals.onHand - totals.reserved;
  return createEvent(SOURCE, 'stock.changed', totals.productId, {
    productId: totals.productId,
    available,
    reserved: totals.reserved,
    onHand: totals.onHand,
    inStock: available > 0,
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

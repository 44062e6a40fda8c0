import { createEvent, type EventEnvelope } from '@shop/events';
import type { Order, OrderLine } from './model.js';
import type { OrderStatus } from './statusMachine.js';

// The events orders produces, shaped exactly as docs/events.md lists them.

const SOURCE = 'orders';

export function orderPlaced(order: Order, lines: readonly Pick<OrderLine, 'productId' | 'quantity' | 'unitPriceMinor' | 'discountMinor'>[]): EventEnvelope {
  const { addressId: _addressId, ...shippingAddress } = order.shippingAddress;
  return createEvent(SOURCE, 'order.placed', order.id, {
    orderId: order.id,
    orderNumber: order.orderNumber,
    userId: order.userId,
    currency: order.currency,
    subtotalMinor: order.subtotalMinor,
    shippingMinor: order.shippingMinor,
    discountMinor: order.discountMinor,
    totalMinor: order.totalMinor,
    promoCode: order.promoCode,
    items: lines.map((line) => ({
      productId: line.productId,
      quantity: line.quantity,
      unitPriceMinor: line.unitPriceMinor,
      discountMinor: line.discountMinor,
    })),
    shippingMethodId: order.shippingMethodId,
    shippingAddress,
    placedAt: order.createdAt.toISOString(),
  });
}

export function orderStatusChanged(order: Order, from: OrderStatus, at: Date, reason: string | null): EventEnvelope {
  return createEvent(SOURCE, 'order.status_changed', order.id, {
    orderId: order.id,
    orderNumber: order.orderNumber,
    userId: order.userId,
    from,
    to: order.status,
    at: at.toISOString(),
    ...(reason === null ? {} : { reason }),
  });
}

import type { EventBus, EventEnvelope, Subscription } from '@shop/events';
import type { Logger } from '@shop/subgraph-kit';
import { CONSUMER_GROUP, type OrderStatusChange, type PaymentsService, type RefundRequested } from './service.js';

/** Reads what payments needs from an `order.status_changed` event; null when it is malformed. */
export function parseOrderStatusChange(data: unknown): OrderStatusChange | null {
  if (typeof data !== 'object' || data === null) return null;
  const { orderId, from, to } = data as Record<string, unknown>;
  if (typeof orderId !== 'string' || typeof from !== 'string' || typeof to !== 'string') return null;
  return { orderId, from, to };
}

/** Reads an `order.refund_requested` event; null when it is malformed. */
export function parseRefundRequested(data: unknown): RefundRequested | null {
  if (typeof data !== 'object' || data === null) return null;
  const { refundId, orderId, amountMinor, currency } = data as Record<string, unknown>;
  if (typeof refundId !== 'string' || typeof orderId !== 'string' || typeof currency !== 'string') return null;
  if (typeof amountMinor !== 'number' || !Number.isSafeInteger(amountMinor) || amountMinor < 0) return null;
  return { refundId, orderId, amountMinor, currency };
}

/**
 * Consumes, in group `payments`, `order.status_changed` (refunds when an order is cancelled or
 * refunded), `order.refund_requested` (line refunds) and its own `payment.succeeded` (refunds a success that came after its order was
 * closed). A handler that throws (the provider is down, say) leaves the event to be delivered
 * again; the inbox makes a redelivery a no-op once it did succeed.
 */
export function consumeEvents(options: { bus: EventBus; service: PaymentsService; logger: Logger }): Promise<Subscription> {
  const { bus, service, logger } = options;
  return bus.subscribe({
    group: CONSUMER_GROUP,
    types: ['order.status_changed', 'order.refund_requested', 'payment.succeeded'],
    handler: async (event: EventEnvelope) => {
      if (event.type === 'order.refund_requested') {
        const request = parseRefundRequested(event.data);
        if (request) await service.onRefundRequested(event, request);
        else logger.warn('ignored a malformed order.refund_requested event', { eventId: event.id });
        return;
      }
      if (event.type === 'payment.succeeded') {
        const orderId = (event.data as { orderId?: unknown }).orderId;
        if (typeof orderId === 'string') await service.onPaymentSucceeded(event, orderId);
        else logger.warn('ignored a payment.succeeded event without an order id', { eventId: event.id });
        return;
      }
      const change = parseOrderStatusChange(event.data);
      if (!change) {
        logger.warn('ignored a malformed order.status_changed event', { eventId: event.id });
        return;
      }
      await service.onOrderStatusChanged(event, change);
    },
  });
}

import type { EventBus, EventEnvelope, Subscription } from '@shop/events';
import type { Logger } from '@shop/subgraph-kit';
import { CONSUMER_GROUP, type OrderStatusChange, type PaymentsService } from './service.js';

/** Reads what payments needs from an `order.status_changed` event; null when it is malformed. */
export function parseOrderStatusChange(data: unknown): OrderStatusChange | null {
  if (typeof data !== 'object' || data === null) return null;
  const { orderId, from, to } = data as Record<string, unknown>;
  if (typeof orderId !== 'string' || typeof from !== 'string' || typeof to !== 'string') return null;
  return { orderId, from, to };
}

/**
 * Consumes, in group `payments`, `order.status_changed` (refunds when an order is cancelled or
 * refunded) and its own `payment.succeeded` (refunds a success that came after its order was
 * closed). A handler that throws (the provider is down, say) leaves the event to be delivered
 * again; the inbox makes a redelivery a no-op once it did succeed.
 */
export function consumeEvents(options: { bus: EventBus; service: PaymentsService; logger: Logger }): Promise<Subscription> {
  const { bus, service, logger } = options;
  return bus.subscribe({
    group: CONSUMER_GROUP,
    types: ['order.status_changed', 'payment.succeeded'],
    handler: async (event: EventEnvelope) => {
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

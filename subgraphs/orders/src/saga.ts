import type { EventBus, EventEnvelope, Subscription } from '@shop/events';
import type { Logger } from '@shop/subgraph-kit';
import type { Order } from './model.js';
import type { EventDecision, OrdersRepository } from './repository.js';
import type { OrderStatus } from './statusMachine.js';

/** The consumer group (and inbox name) of orders' event handlers. */
export const CONSUMER = 'orders';

/** The events that move orders along (docs/events.md). */
export const SAGA_EVENT_TYPES = [
  'payment.succeeded',
  'payment.failed',
  'payment.refunded',
  'stock.reservation_released',
  'shipment.created',
  'shipment.delivered',
] as const;

const moveTo = (to: OrderStatus, reason: string): EventDecision => ({ kind: 'transition', to, reason });
const ignore = (why: string): EventDecision => ({ kind: 'ignore', why });

/**
 * What an event means for an order in its current status. Pure, so every rule is tested on
 * its own; the status machine still has the last word when the move is applied.
 */
export function decide(event: Pick<EventEnvelope, 'type' | 'data'>, order: Order): EventDecision {
  const status = order.status;
  switch (event.type) {
    case 'payment.succeeded':
      if (status === 'PENDING_PAYMENT') return moveTo('PAID', 'payment succeeded');
      // Payments refunds a payment for an order that can no longer take it; nothing for us to do.
      return ignore(`payment succeeded for an order that is ${status}`);
    case 'payment.failed':
      // The customer may try again until the reservation expires.
      return status === 'PENDING_PAYMENT' ? { kind: 'paymentFailed' } : ignore(`payment failed for an order that is ${status}`);
    case 'payment.refunded':
      return status === 'RETURN_REQUESTED' || status === 'PARTIALLY_REFUNDED' ? moveTo('REFUNDED', 'refunded') : ignore(`refund for an order that is ${status}`);
    case 'stock.reservation_released': {
      const reason = (event.data as { reason?: unknown }).reason;
      if (reason !== 'expired') return ignore(`reservation released (${String(reason)})`);
      return status === 'PENDING_PAYMENT'
        ? moveTo('CANCELLED', 'payment window expired')
        : ignore(`reservation expired for an order that is ${status}`);
    }
    case 'shipment.created':
      return status === 'PAID' || status === 'FULFILLING'
        ? moveTo('SHIPPED', 'shipment created')
        : ignore(`shipment created for an order that is ${status}`);
    case 'shipment.delivered':
      return status === 'SHIPPED' ? moveTo('DELIVERED', 'delivered') : ignore(`delivery for an order that is ${status}`);
    default:
      return ignore(`not an event orders acts on: ${event.type}`);
  }
}

/** Subscribes orders to the saga events; each is handled once (inbox) per event id. */
export function startSagaConsumers(deps: { bus: EventBus; repository: OrdersRepository; logger: Logger }): Promise<Subscription> {
  const { logger } = deps;
  return deps.bus.subscribe({
    group: CONSUMER,
    types: SAGA_EVENT_TYPES,
    handler: async (event) => {
      const orderId = (event.data as { orderId?: unknown }).orderId;
      if (typeof orderId !== 'string') {
        logger.warn('saga event without an order id skipped', { eventId: event.id, type: event.type });
        return;
      }
      const outcome = await deps.repository.applyEvent(CONSUMER, event, orderId, (order) => decide(event, order));
      if (!outcome.handled) return;
      const fields = { eventId: event.id, type: event.type, orderId };
      if (!outcome.order) logger.warn('saga event for an unknown order', fields);
      else if (outcome.decision?.kind === 'ignore') logger.info('saga event changed nothing', { ...fields, why: outcome.decision.why });
      else if (outcome.decision?.kind === 'transition' && !outcome.changed) {
        // The order was locked, so this cannot happen; worth hearing about if it ever does.
        logger.error('saga transition did not apply', fields);
      } else logger.info('saga event applied', { ...fields, status: outcome.changed?.status ?? outcome.order.status });
    },
  });
}

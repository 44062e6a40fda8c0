import type { EventBus, EventEnvelope, Subscription } from '@shop/events';
import type { Logger } from '@shop/subgraph-kit';
import type { ReservationRepository, Settlement } from './reservationRepository.js';

/** The consumer group (and inbox name) of inventory's event handlers. */
export const CONSUMER = 'inventory';

/** `order.status_changed` as docs/events.md defines it; only what inventory reads. */
interface OrderStatusChanged {
  orderId: string;
  from: string;
  to: string;
}

/**
 * What an order's status change means for its reservation: paid -> the units are sold;
 * cancelled before fulfilment -> they go back. A cancellation once fulfilment started is left
 * to the warehouse, who count what comes back and set the stock.
 */
export function settlementFor(change: OrderStatusChanged): Settlement | null {
  if (change.to === 'PAID') return 'commit';
  if (change.to === 'CANCELLED' && (change.from === 'PENDING_PAYMENT' || change.from === 'PAID')) return 'cancel';
  return null;
}

/** Subscribes inventory to the events it acts on; each is handled once (inbox) per event id. */
export function startInventoryConsumers(deps: {
  bus: EventBus;
  repository: ReservationRepository;
  logger: Logger;
  onStockChanged: (productIds: string[]) => void;
}): Promise<Subscription> {
  const { logger } = deps;
  return deps.bus.subscribe({
    group: CONSUMER,
    types: ['order.status_changed'],
    handler: async (event: EventEnvelope) => {
      const change = event.data as OrderStatusChanged;
      const settlement = settlementFor(change);
      if (!settlement) return;
      const result = await deps.repository.settleOnce(CONSUMER, event, change.orderId, settlement);
      if (!result) return;
      if (result.problem) logger.error('reservation not settled', { orderId: change.orderId, settlement, problem: result.problem });
      else if (result.changed) logger.info('reservation settled', { orderId: change.orderId, settlement, status: result.status });
      deps.onStockChanged(result.changedProductIds);
    },
  });
}

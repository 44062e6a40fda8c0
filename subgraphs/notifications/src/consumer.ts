import type { EventBus, Subscription } from '@shop/events';
import { CONSUMED_EVENT_TYPES } from './events.js';
import { CONSUMER_GROUP, type NotificationsService } from './service.js';

/**
 * Consumes, in group `notifications`, order, payment and shipment events. A handler that
 * throws (users unreachable, an order not known yet) leaves the event to be delivered again;
 * the inbox makes a redelivery a no-op once it did succeed.
 */
export function consumeEvents(options: { bus: EventBus; service: NotificationsService }): Promise<Subscription> {
  return options.bus.subscribe({
    group: CONSUMER_GROUP,
    types: CONSUMED_EVENT_TYPES,
    handler: async (event) => void (await options.service.handleEvent(event)),
  });
}

import type { EventBus, Subscription } from '@shop/events';
import { createEventLog, feedEventLog, requireCaller, type EventLog, type EventLogStore, type LoggedEvent, type Logger } from '@shop/subgraph-kit';
import type { OrdersContext } from './context.js';
import type { Order } from './model.js';
import type { OrdersService } from './service.js';
import type { OrderStatus } from './statusMachine.js';

/** The event log (a Redis Stream in the key-value store) every orders replica appends status changes to. */
export const ORDER_STATUS_STREAM = 'orders.status-changed';
/** The consumer group (replicas share it) that appends `order.status_changed` to the log. */
export const STATUS_LOG_GROUP = 'orders.status-log';

export interface OrderStatusEvent {
  orderId: string;
  userId: string;
  status: OrderStatus;
}

export function orderStatusLog(store: EventLogStore, logger: Logger, retentionMs?: number): EventLog<OrderStatusEvent> {
  return createEventLog<OrderStatusEvent>({ store, stream: ORDER_STATUS_STREAM, logger, ...(retentionMs !== undefined ? { retentionMs } : {}) });
}

/** `order.status_changed` as docs/events.md defines it; what the log keeps of it. */
interface StatusChanged {
  orderId: string;
  userId: string;
  to: OrderStatus;
}

/** The log gets one event per `order.status_changed` the outbox relay publishes, whoever made the transition. */
export function feedStatusLog(bus: EventBus, log: EventLog<OrderStatusEvent>): Promise<Subscription> {
  return feedEventLog({
    bus,
    group: STATUS_LOG_GROUP,
    type: 'order.status_changed',
    log,
    toEvent: (event) => {
      const change = event.data as StatusChanged;
      return { orderId: change.orderId, userId: change.userId, status: change.to };
    },
  });
}

/** `Subscription.orderStatusChanged`: own orders for a customer, every order for an ADMIN. */
export function orderStatusChangedField(log: EventLog<OrderStatusEvent>, orders: OrdersService) {
  return {
    subscribe: async (_root: unknown, args: { orderId?: string | null; after?: string | null }, ctx: OrdersContext) => {
      const caller = requireCaller(ctx);
      const orderId = args.orderId ?? null;
      // The same answer as Query.order: NOT_FOUND for an order the caller may not see.
      if (orderId !== null) await orders.order(ctx, orderId);
      return log.subscribe({
        after: args.after ?? null,
        filter: (event) =>
          (caller.role === 'ADMIN' || event.userId === caller.userId) && (orderId === null || event.orderId === orderId),
      });
    },
    // Each event runs with a fresh context, so this reads the order as it is now; the status
    // is the one the event announces, so a quick second change does not hide the first.
    resolve: async ({ event }: LoggedEvent<OrderStatusEvent>, _args: unknown, ctx: OrdersContext): Promise<Order | null> => {
      const order = await orders.reference(ctx, event.orderId);
      return order && { ...order, status: event.status };
    },
  };
}

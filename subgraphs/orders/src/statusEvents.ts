import { createEventLog, requireCaller, type EventLog, type EventLogStore, type LoggedEvent, type Logger } from '@shop/subgraph-kit';
import type { OrdersContext } from './context.js';
import type { Order } from './model.js';
import type { OrdersRepository } from './repository.js';
import type { OrdersService } from './service.js';
import type { OrderStatus } from './statusMachine.js';

/** The event log (a Redis Stream in the key-value store) every orders replica appends status changes to. */
export const ORDER_STATUS_STREAM = 'orders.status-changed';

export interface OrderStatusEvent {
  orderId: string;
  userId: string;
  status: OrderStatus;
}

export function orderStatusLog(store: EventLogStore, logger: Logger): EventLog<OrderStatusEvent> {
  return createEventLog<OrderStatusEvent>({ store, stream: ORDER_STATUS_STREAM, logger });
}

/**
 * Publishes every committed status transition, whoever makes it (cancel today, payments and
 * shipping later): `transition` resolves after its transaction committed, so subscribers never
 * hear of a change that was rolled back.
 */
export function publishingStatusChanges(repository: OrdersRepository, log: EventLog<OrderStatusEvent>): OrdersRepository {
  return {
    ...repository,
    async transition(orderId, from, to, actor, reason) {
      const order = await repository.transition(orderId, from, to, actor, reason);
      if (order) {
        const event: OrderStatusEvent = { orderId: order.id, userId: order.userId, status: order.status };
        await log.append(event);
      }
      return order;
    },
    // Status changes made by saga events (payments, inventory, shipping) commit here.
    async applyEvent(consumer, event, orderId, decide) {
      const outcome = await repository.applyEvent(consumer, event, orderId, decide);
      const order = outcome.changed;
      if (order) {
        const published: OrderStatusEvent = { orderId: order.id, userId: order.userId, status: order.status };
        await log.append(published);
      }
      return outcome;
    },
  };
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

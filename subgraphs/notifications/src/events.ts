import type { EventEnvelope } from '@shop/events';
import type { KnownOrder } from './model.js';
import type { Message } from './templates.js';

/** The event types notifications consumes (docs/events.md). */
export const CONSUMED_EVENT_TYPES = [
  'order.placed',
  'order.status_changed',
  'payment.succeeded',
  'payment.failed',
  'payment.refunded',
  'shipment.created',
  'shipment.delivered',
  'wishlist.back_in_stock',
] as const;

/** What one event means here. */
export interface EventReading {
  /** The order the event is about. */
  orderId: string;
  /** Who placed the order, when the event says so (order events); others name only the order. */
  order: KnownOrder | null;
  /** The message the event calls for, given the order; null when it calls for none. */
  message: (order: KnownOrder) => Message | null;
}

type Data = Record<string, unknown>;

const str = (data: Data, key: string): string | null => (typeof data[key] === 'string' && data[key] !== '' ? (data[key] as string) : null);
const int = (data: Data, key: string): number | null => (Number.isSafeInteger(data[key]) ? (data[key] as number) : null);

/** An event about no order, addressed to one user. */
export interface UserEventReading {
  userId: string;
  message: Message;
}

/** Reads an event addressed to a user; null for any other (or a malformed one). */
export function readUserEvent(event: EventEnvelope): UserEventReading | null {
  if (event.type !== 'wishlist.back_in_stock' || typeof event.data !== 'object' || event.data === null) return null;
  const data = event.data as Data;
  const userId = str(data, 'userId');
  const productName = str(data, 'productName');
  return userId && productName ? { userId, message: { type: 'BACK_IN_STOCK', facts: { productName } } } : null;
}

/** Reads an event's data; null when it is malformed (logged and skipped by the consumer). */
export function readEvent(event: EventEnvelope): EventReading | null {
  if (typeof event.data !== 'object' || event.data === null) return null;
  const data = event.data as Data;
  const orderId = str(data, 'orderId');
  if (!orderId) return null;
  const ownOrder = (): KnownOrder | null => {
    const userId = str(data, 'userId');
    const orderNumber = str(data, 'orderNumber');
    return userId && orderNumber ? { orderId, userId, orderNumber } : null;
  };
  const amount = () => {
    const minor = int(data, 'amountMinor');
    const currency = str(data, 'currency');
    return minor !== null && currency ? { minor, currency } : null;
  };

  switch (event.type) {
    case 'order.placed': {
      const order = ownOrder();
      const totalMinor = int(data, 'totalMinor');
      const currency = str(data, 'currency');
      if (!order || totalMinor === null || !currency || !Array.isArray(data.items)) return null;
      const itemCount = (data.items as Array<{ quantity?: unknown }>).reduce((n, item) => n + (Number.isSafeInteger(item?.quantity) ? (item.quantity as number) : 0), 0);
      return {
        orderId,
        order,
        message: (o) => ({ type: 'ORDER_CONFIRMATION', facts: { orderNumber: o.orderNumber, itemCount, total: { minor: totalMinor, currency } } }),
      };
    }
    case 'order.status_changed': {
      const order = ownOrder();
      if (!order) return null;
      const cancelled = data.to === 'CANCELLED';
      return { orderId, order, message: (o) => (cancelled ? { type: 'ORDER_CANCELLED', facts: { orderNumber: o.orderNumber } } : null) };
    }
    case 'payment.succeeded':
    case 'payment.failed':
    case 'payment.refunded': {
      const paid = amount();
      if (!paid) return null;
      const type = event.type === 'payment.succeeded' ? 'PAYMENT_RECEIVED' : event.type === 'payment.failed' ? 'PAYMENT_FAILED' : 'REFUND_ISSUED';
      return { orderId, order: null, message: (o) => ({ type, facts: { orderNumber: o.orderNumber, amount: paid } }) };
    }
    case 'shipment.created': {
      const carrier = str(data, 'carrier');
      const trackingNumber = str(data, 'trackingNumber');
      if (!carrier || !trackingNumber) return null;
      return { orderId, order: null, message: (o) => ({ type: 'ORDER_SHIPPED', facts: { orderNumber: o.orderNumber, carrier, trackingNumber } }) };
    }
    case 'shipment.delivered':
      return { orderId, order: null, message: (o) => ({ type: 'ORDER_DELIVERED', facts: { orderNumber: o.orderNumber } }) };
    default:
      return null;
  }
}

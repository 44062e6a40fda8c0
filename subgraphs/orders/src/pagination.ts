import { decodeCursor, encodeCursor, toConnection, type Connection } from '@shop/subgraph-kit';
import type { Order, OrderCursor, OrderPage } from './model.js';
import { isOrderId } from './repository.js';

/** Decodes an `after` argument: the (createdAt, id) of the last order seen, the sort key of every order list. */
export function decodeOrderCursor(after: string | null | undefined): OrderCursor | null {
  return decodeCursor(after, 'order', ([at, id]) => {
    if (typeof at !== 'string' || typeof id !== 'string' || !isOrderId(id)) return null;
    const createdAt = new Date(at);
    return Number.isNaN(createdAt.getTime()) || createdAt.toISOString() !== at ? null : { createdAt, id };
  });
}

export type OrderConnection = Connection<Order, OrderPage['totalCount']>;

export function toOrderConnection(page: OrderPage): OrderConnection {
  return toConnection(page.orders, (order) => ({ cursor: encodeCursor('order', [order.createdAt.toISOString(), order.id]), node: order }), page);
}

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

/** Each edge's cursor is encoded when read (a query asking for it, `endCursor`), not for every order of every page. */
export function toOrderConnection(page: OrderPage): OrderConnection {
  return toConnection(
    page.orders,
    (order) => ({
      get cursor() {
        return encodeCursor('order', [order.createdAt.toISOString(), order.id]);
      },
      node: order,
    }),
    page,
  );
}

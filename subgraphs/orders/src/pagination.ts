import { badUserInput } from '@shop/errors';
import type { Order, OrderCursor, OrderPage } from './model.js';
import { isOrderId } from './repository.js';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** The `first` argument: default 20, 0..100, anything else is BAD_USER_INPUT. */
export function pageSize(first: number | null | undefined): number {
  if (first === null || first === undefined) return DEFAULT_PAGE_SIZE;
  if (first < 0 || first > MAX_PAGE_SIZE) {
    throw badUserInput(`first must be between 0 and ${MAX_PAGE_SIZE}`, 'first');
  }
  return first;
}

// A cursor names the last order seen by (createdAt, id), the sort key of every order list,
// so a page never repeats or skips an order when new ones are placed in between.
export function encodeCursor(order: Pick<Order, 'createdAt' | 'id'>): string {
  return Buffer.from(JSON.stringify(['order', order.createdAt.toISOString(), order.id])).toString('base64url');
}

/** Decodes an `after` argument; anything we did not hand out is BAD_USER_INPUT. */
export function decodeCursor(after: string | null | undefined): OrderCursor | null {
  if (after === null || after === undefined) return null;
  const invalid = () => badUserInput('after is not a cursor from this list', 'after');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(after, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(parsed) || parsed.length !== 3 || parsed[0] !== 'order') throw invalid();
  const [, at, id] = parsed as unknown[];
  if (typeof at !== 'string' || typeof id !== 'string' || !isOrderId(id)) throw invalid();
  const createdAt = new Date(at);
  if (Number.isNaN(createdAt.getTime()) || createdAt.toISOString() !== at) throw invalid();
  return { createdAt, id };
}

export interface OrderConnection {
  edges: Array<{ cursor: string; node: Order }>;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: OrderPage['totalCount'];
}

export function toConnection(page: OrderPage): OrderConnection {
  const edges = page.orders.map((order) => ({ cursor: encodeCursor(order), node: order }));
  return {
    edges,
    pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null },
    totalCount: page.totalCount,
  };
}

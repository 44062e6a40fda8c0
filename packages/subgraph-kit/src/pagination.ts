import { badUserInput } from '@shop/errors';

/** Relay connections: `first`/`after` in, `edges { cursor node }`, `pageInfo` and `totalCount` out. */

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** The `first` argument: 20 when absent, 0..100, anything else BAD_USER_INPUT on `first`. */
export function pageSize(first: number | null | undefined): number {
  const size = first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(size) || size < 0 || size > MAX_PAGE_SIZE) {
    throw badUserInput(`\`first\` must be between 0 and ${MAX_PAGE_SIZE}, got ${size}`, 'first');
  }
  return size;
}

const CURSOR = /^[A-Za-z0-9_-]{1,1000}$/;

/**
 * An opaque cursor: the list's name and the sort key of the node it follows, as base64url JSON.
 * The key holds the whole sort key (e.g. time and id), so a page never repeats or skips a node
 * when others are inserted in between.
 */
export function encodeCursor(list: string, key: readonly unknown[]): string {
  return Buffer.from(JSON.stringify([list, ...key]), 'utf8').toString('base64url');
}

/**
 * The sort key inside `after`: null without one; BAD_USER_INPUT on `after` unless it is a cursor
 * of `list` whose key `parse` accepts (returns non-null), so nothing a client made up reaches a query.
 */
export function decodeCursor<T>(after: string | null | undefined, list: string, parse: (key: unknown[]) => T | null): T | null {
  if (after === null || after === undefined) return null;
  let decoded: unknown;
  try {
    decoded = CURSOR.test(after) ? JSON.parse(Buffer.from(after, 'base64url').toString('utf8')) : null;
  } catch {
    decoded = null;
  }
  const key = Array.isArray(decoded) && decoded[0] === list ? parse(decoded.slice(1)) : null;
  if (key === null) throw badUserInput('`after` is not a cursor of this connection', 'after');
  return key;
}

/** `TotalCount` may be a function, for a resolver that counts only when the field is asked for. */
export interface Connection<T, TotalCount = number> {
  edges: Array<{ cursor: string; node: T }>;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: TotalCount;
}

/** A page of `items` as a connection; `edgeOf` gives each item's node and the cursor after it. */
export function toConnection<I, T, TotalCount = number>(
  items: readonly I[],
  edgeOf: (item: I) => { cursor: string; node: T },
  page: { hasNextPage: boolean; totalCount: TotalCount },
): Connection<T, TotalCount> {
  const edges = items.map(edgeOf);
  return { edges, pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null }, totalCount: page.totalCount };
}

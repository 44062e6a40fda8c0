import { badUserInput } from '@shop/errors';
import type { User } from './model.js';
import { isUuid } from './validation.js';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** The `first` argument: default 20, 0..100, anything else is BAD_USER_INPUT. */
export function pageSize(first: number | null | undefined): number {
  if (first === null || first === undefined) return DEFAULT_PAGE_SIZE;
  if (first < 0 || first > MAX_PAGE_SIZE) throw badUserInput(`first must be between 0 and ${MAX_PAGE_SIZE}`, 'first');
  return first;
}

/**
 * Where a user sits in the list (newest first): `createdAt` is PostgreSQL's own microsecond
 * timestamp as text, because a JavaScript Date keeps only milliseconds and two accounts created
 * in the same millisecond would otherwise be skipped or repeated between pages.
 */
export interface UserCursor {
  createdAt: string;
  id: string;
}

const MICROSECOND_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

export function encodeUserCursor(cursor: UserCursor): string {
  return Buffer.from(JSON.stringify(['user', cursor.createdAt, cursor.id])).toString('base64url');
}

/** Decodes an `after` argument; anything we did not hand out is BAD_USER_INPUT. */
export function decodeUserCursor(after: string | null | undefined): UserCursor | null {
  if (after === null || after === undefined) return null;
  const invalid = () => badUserInput('after is not a cursor from this list', 'after');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(after, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(parsed) || parsed.length !== 3 || parsed[0] !== 'user') throw invalid();
  const [, createdAt, id] = parsed as unknown[];
  if (typeof createdAt !== 'string' || typeof id !== 'string' || !isUuid(id) || !MICROSECOND_UTC.test(createdAt)) {
    throw invalid();
  }
  // Refuses calendar nonsense such as February 30th here rather than as a SQL error.
  const millis = `${createdAt.slice(0, 23)}Z`;
  const date = new Date(millis);
  if (Number.isNaN(date.getTime()) || date.toISOString() !== millis) throw invalid();
  return { createdAt, id };
}

export interface UserPage {
  users: Array<{ user: User; cursor: UserCursor }>;
  hasNextPage: boolean;
  totalCount: number;
}

export interface UserConnection {
  edges: Array<{ cursor: string; node: User }>;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: number;
}

export function toUserConnection(page: UserPage): UserConnection {
  const edges = page.users.map(({ user, cursor }) => ({ cursor: encodeUserCursor(cursor), node: user }));
  return {
    edges,
    pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null },
    totalCount: page.totalCount,
  };
}

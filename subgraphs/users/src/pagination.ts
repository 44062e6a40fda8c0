import { decodeCursor, encodeCursor, toConnection, type Connection } from '@shop/subgraph-kit';
import type { User } from './model.js';
import { isUuid } from './validation.js';

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

/** Decodes an `after` argument; anything we did not hand out is BAD_USER_INPUT. */
export function decodeUserCursor(after: string | null | undefined): UserCursor | null {
  return decodeCursor(after, 'user', ([createdAt, id]) => {
    if (typeof createdAt !== 'string' || typeof id !== 'string' || !isUuid(id) || !MICROSECOND_UTC.test(createdAt)) return null;
    // Refuses calendar nonsense such as February 30th here rather than as a SQL error.
    const millis = `${createdAt.slice(0, 23)}Z`;
    const date = new Date(millis);
    return Number.isNaN(date.getTime()) || date.toISOString() !== millis ? null : { createdAt, id };
  });
}

export interface UserPage {
  users: Array<{ user: User; cursor: UserCursor }>;
  hasNextPage: boolean;
  totalCount: number;
}

export type UserConnection = Connection<User>;

export function toUserConnection(page: UserPage): UserConnection {
  return toConnection(page.users, ({ user, cursor }) => ({ cursor: encodeCursor('user', [cursor.createdAt, cursor.id]), node: user }), page);
}

import { isDocumentId } from './ids.js';

/**
 * Relay cursors: opaque to clients (base64url). Anything that does not decode to one of ours is
 * refused rather than guessed at.
 */

const PRODUCT_PREFIX = 'product:';
const REVIEW_PREFIX = 'review:';
const BASE64URL = /^[A-Za-z0-9_-]{1,100}$/;

const decode = (cursor: string): string | null => (BASE64URL.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : null);

/** Holds the `_id` of the last product seen (products are listed in `_id` order). */
export function encodeProductCursor(id: string): string {
  return Buffer.from(`${PRODUCT_PREFIX}${id}`, 'utf8').toString('base64url');
}

/** The product id inside a cursor, or null when the text is not a cursor we issued. */
export function decodeProductCursor(cursor: string): string | null {
  const text = decode(cursor);
  if (text === null || !text.startsWith(PRODUCT_PREFIX)) return null;
  const id = text.slice(PRODUCT_PREFIX.length);
  return isDocumentId(id) ? id : null;
}

/** Where a review stands in newest-first order: its time, and its id to break ties. */
export interface ReviewPosition {
  createdAt: Date;
  id: string;
}

export function encodeReviewCursor(position: ReviewPosition): string {
  return Buffer.from(`${REVIEW_PREFIX}${position.createdAt.getTime()}:${position.id}`, 'utf8').toString('base64url');
}

export function decodeReviewCursor(cursor: string): ReviewPosition | null {
  const text = decode(cursor);
  const match = text === null ? null : /^review:(\d{1,15}):([0-9a-f]{24})$/.exec(text);
  if (!match) return null;
  const createdAt = new Date(Number(match[1]));
  return Number.isNaN(createdAt.getTime()) ? null : { createdAt, id: match[2]! };
}

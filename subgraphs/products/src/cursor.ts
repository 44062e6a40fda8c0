import { decodeCursor, encodeCursor } from '@shop/subgraph-kit';
import { isDocumentId } from './ids.js';

/** Products are listed in `_id` order: a cursor holds the `_id` of the last product seen. */
export function encodeProductCursor(id: string): string {
  return encodeCursor('product', [id]);
}

/** The product id inside `after` (null without one); BAD_USER_INPUT for anything else. */
export function decodeProductCursor(after: string | null | undefined): string | null {
  return decodeCursor(after, 'product', ([id]) => (typeof id === 'string' && isDocumentId(id) ? id : null));
}

/** Where a review stands in newest-first order: its time, and its id to break ties. */
export interface ReviewPosition {
  createdAt: Date;
  id: string;
}

export function encodeReviewCursor(position: ReviewPosition): string {
  return encodeCursor('review', [position.createdAt.getTime(), position.id]);
}

export function decodeReviewCursor(after: string | null | undefined): ReviewPosition | null {
  return decodeCursor(after, 'review', ([time, id]) =>
    Number.isSafeInteger(time) && (time as number) >= 0 && typeof id === 'string' && isDocumentId(id) ? { createdAt: new Date(time as number), id } : null,
  );
}

import { isDocumentId } from './ids.js';

/**
 * Relay cursors: opaque to clients (base64url), holding the `_id` of the last product seen.
 * Anything that does not decode to one of ours is refused rather than guessed at.
 */

const PREFIX = 'product:';
const BASE64URL = /^[A-Za-z0-9_-]{1,100}$/;

export function encodeProductCursor(id: string): string {
  return Buffer.from(`${PREFIX}${id}`, 'utf8').toString('base64url');
}

/** The product id inside a cursor, or null when the text is not a cursor we issued. */
export function decodeProductCursor(cursor: string): string | null {
  if (!BASE64URL.test(cursor)) return null;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!text.startsWith(PREFIX)) return null;
  const id = text.slice(PREFIX.length);
  return isDocumentId(id) ? id : null;
}

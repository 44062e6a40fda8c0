import { createHash } from 'node:crypto';
import type { SearchConditions, SearchSort, SortKey } from './repository.js';
import { priceCurrency } from './facets.js';
import { SORT_SPECS, isSortKeyValue } from './sorting.js';

/**
 * Search cursors: opaque to clients (base64url JSON) and holding the sort key of the last hit
 * of a page, the sort, and a fingerprint of the search, so a cursor is only accepted by the
 * search that issued it. Anything else is refused rather than guessed at.
 */

const BASE64URL = /^[A-Za-z0-9_-]{1,1000}$/;

interface CursorBody {
  /** Fingerprint of the conditions and the sort. */
  f: string;
  /** Sort key of the last hit. */
  k: SortKey;
}

export function searchFingerprint(conditions: SearchConditions, sort: SearchSort): string {
  const { terms, categoryId, brand, color, size, price, inStock } = conditions;
  const canonical = JSON.stringify([sort, terms, categoryId, brand, color, size, price?.minMinor, price?.maxMinor, inStock, priceCurrency(conditions)]);
  return createHash('sha256').update(canonical).digest('base64url').slice(0, 16);
}

export function encodeSearchCursor(fingerprint: string, sortKey: SortKey): string {
  const body: CursorBody = { f: fingerprint, k: sortKey };
  return Buffer.from(JSON.stringify(body), 'utf8').toString('base64url');
}

export type CursorProblem = 'not a cursor' | 'another search';

/** The sort key inside a cursor of this search, or why the text is not one. */
export function decodeSearchCursor(cursor: string, fingerprint: string, sort: SearchSort): SortKey | CursorProblem {
  if (!BASE64URL.test(cursor)) return 'not a cursor';
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return 'not a cursor';
  }
  if (body === null || typeof body !== 'object') return 'not a cursor';
  const { f, k } = body as Partial<CursorBody>;
  if (typeof f !== 'string' || !Array.isArray(k)) return 'not a cursor';
  if (f !== fingerprint) return 'another search';
  if (k.length !== SORT_SPECS[sort].length || !k.every((value, i) => isSortKeyValue(sort, i, value))) return 'not a cursor';
  return k;
}

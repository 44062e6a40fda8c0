import type { RouteHandler } from '@shop/subgraph-kit';
import type { ImageObject } from './rules.js';

/** A request that lets whoever holds it store exactly one object: that key, type and size, until `expiresAt`. */
export interface SignedUpload {
  url: string;
  method: 'PUT';
  /** Headers the request must carry as they are: the signature covers them. */
  headers: Array<{ name: string; value: string }>;
  expiresAt: Date;
}

/**
 * Where product pictures live: S3 (or any S3-compatible service) in production, the products
 * subgraph's own signed store in development. Both hand out signed, expiring PUT URLs that bind
 * the content type and the exact size, and public read URLs.
 */
export interface ImageStore {
  readonly kind: 's3' | 'local';
  signUpload(object: ImageObject, now: Date): Promise<SignedUpload>;
  /** Where browsers read the picture stored under `key`. */
  urlOf(key: string): string;
  /** The key behind one of this store's read URLs; null for any other URL. */
  keyOf(url: string): string | null;
  /** Whether something was uploaded under `key` (an upload URL handed out is no picture yet). */
  exists(key: string): Promise<boolean>;
  /** HTTP routes the products subgraph serves for this store (the local one's upload and read paths). */
  routes: Record<string, RouteHandler>;
}

/** The key when `url` is `base` + "/" + a key, else null. */
export function keyUnder(base: string, url: string): string | null {
  const prefix = `${base.replace(/\/+$/, '')}/`;
  return url.startsWith(prefix) ? url.slice(prefix.length) : null;
}

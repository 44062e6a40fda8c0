import { types } from 'node:util';
import type { KeyValueStore } from '@shop/kv';
import type { Logger } from '@shop/subgraph-kit';
import type { ProductDocument, ProductRepository } from '../repository.js';

/**
 * Cache-aside for product reads, in front of any ProductRepository, through a KeyValueStore
 * (Redis in production, in-process otherwise). Everything else passes straight through.
 *
 * - `findByIds`: one `getMany`, then one store call for the misses, which are then cached.
 * - `findBySkus`: SKUs never change, so a SKU key holds only the product id (never stale); the
 *   document comes from the id key as above.
 * - Every product write (create, update, archive, review) invalidates before and after it
 *   writes. For a change, invalidating means writing a short-lived tombstone, not deleting: fills use
 *   `setIfAbsent`, so a read that fetched the old document just before the write cannot put it
 *   back afterwards (the classic cache-aside race). If the first invalidation fails the write is
 *   refused, because the cache could otherwise serve the old product for a whole TTL.
 * - Misses are not cached, listings (`findPage`) are not cached.
 */

/** Bump when the stored document shape changes, so old entries are simply never read again. */
export const PRODUCT_CACHE_VERSION = 'v1';
const PREFIX = `products:${PRODUCT_CACHE_VERSION}`;
export const productCacheKey = (id: string) => `${PREFIX}:product:${id}`;
export const skuCacheKey = (sku: string) => `${PREFIX}:sku:${sku}`;

/** Not JSON, so never mistaken for a document. */
const TOMBSTONE = '!invalidated';

export interface ProductCacheOptions {
  /** How long a cached product lives (default 1 h). */
  ttlSeconds?: number;
  /** How long a tombstone blocks refills after a write; longer than any read takes (default 10 s). */
  tombstoneSeconds?: number;
  logger: Logger;
}

export interface CacheStats {
  /** Products answered from the cache since the last reset. */
  readonly hits: number;
  /** Products looked up in the cache and not found there (fetched from the store instead). */
  readonly misses: number;
  reset(): void;
}

export const DEFAULT_PRODUCT_CACHE_TTL_SECONDS = 3600;

export function withProductCache(
  inner: ProductRepository,
  kv: KeyValueStore,
  options: ProductCacheOptions,
): { repository: ProductRepository; stats: CacheStats } {
  const ttlSeconds = options.ttlSeconds ?? DEFAULT_PRODUCT_CACHE_TTL_SECONDS;
  const tombstoneSeconds = options.tombstoneSeconds ?? 10;
  const { logger } = options;
  let hits = 0;
  let misses = 0;

  /** The cache is an optimisation for reads: when it fails, reads go to the store. */
  const getMany = async (keys: string[]): Promise<(string | null)[]> => {
    if (keys.length === 0) return [];
    try {
      return await kv.getMany(keys);
    } catch (error) {
      logger.warn('product cache read failed, reading the store', { error });
      return keys.map(() => null);
    }
  };

  const cachedByIds = async (ids: readonly string[]): Promise<Map<string, ProductDocument>> => {
    const values = await getMany(ids.map(productCacheKey));
    const found = new Map<string, ProductDocument>();
    values.forEach((value, i) => {
      const document = value === null ? null : decode(value);
      if (document && document._id === ids[i]) found.set(document._id, document);
    });
    return found;
  };

  const fill = async (documents: readonly ProductDocument[]): Promise<void> => {
    try {
      await Promise.all(
        documents.flatMap((document) => [
          kv.setIfAbsent(productCacheKey(document._id), encode(document), { ttlSeconds }),
          kv.setIfAbsent(skuCacheKey(document.sku), document._id, { ttlSeconds }),
        ]),
      );
    } catch (error) {
      logger.warn('product cache fill failed', { error });
    }
  };

  const invalidate = async (ids: readonly string[]): Promise<void> => {
    await Promise.all(ids.map((id) => kv.set(productCacheKey(id), TOMBSTONE, { ttlSeconds: tombstoneSeconds })));
  };

  /** Invalidate, write, invalidate again: see the module comment for why both. */
  const writing = async <R>(ids: readonly string[], write: () => Promise<R>): Promise<R> => {
    await invalidate(ids);
    try {
      return await write();
    } finally {
      await invalidate(ids).catch((error: unknown) => logger.error('product cache invalidation after a write failed', { error, ids }));
    }
  };

  /**
   * No reader can have fetched a product before it existed, so new products need no tombstone;
   * but their keys are deleted. Ids and SKUs can come back: the demo catalog has fixed ids and is
   * loaded again whenever an embedded store restarts, while Redis keeps what it cached before.
   */
  const inserting = async (documents: readonly ProductDocument[], write: () => Promise<void>): Promise<void> => {
    const keys = documents.flatMap((document) => [productCacheKey(document._id), skuCacheKey(document.sku)]);
    if (keys.length > 0) await kv.del(...keys);
    try {
      await write();
    } finally {
      if (keys.length > 0) await kv.del(...keys).catch((error: unknown) => logger.error('product cache invalidation after an insert failed', { error }));
    }
  };

  const repository: ProductRepository = {
    async findByIds(ids) {
      const cached = await cachedByIds(ids);
      const missing = ids.filter((id) => !cached.has(id));
      hits += cached.size;
      misses += missing.length;
      const loaded = missing.length === 0 ? [] : await inner.findByIds(missing);
      await fill(loaded);
      return [...cached.values(), ...loaded];
    },
    async findBySkus(skus) {
      const pointers = await getMany(skus.map(skuCacheKey));
      const cached = await cachedByIds(pointers.filter((id): id is string => id !== null));
      const found: ProductDocument[] = [];
      const missing: string[] = [];
      skus.forEach((sku, i) => {
        const document = pointers[i] ? cached.get(pointers[i]) : undefined;
        if (document && document.sku === sku) found.push(document);
        else missing.push(sku);
      });
      hits += found.length;
      misses += missing.length;
      const loaded = missing.length === 0 ? [] : await inner.findBySkus(missing);
      await fill(loaded);
      return [...found, ...loaded];
    },
    findPage: (query) => inner.findPage(query),
    findCategoriesByIds: (ids) => inner.findCategoriesByIds(ids),
    findCategoriesByParentIds: (parentIds) => inner.findCategoriesByParentIds(parentIds),
    listCategories: () => inner.listCategories(),
    insertCategories: (documents) => inner.insertCategories(documents),
    insertProducts: (documents) => inserting(documents, () => inner.insertProducts(documents)),
    updateProduct: (id, changes, at, event) => writing([id], () => inner.updateProduct(id, changes, at, event)),
    archiveProduct: (id, at, event) => writing([id], () => inner.archiveProduct(id, at, event)),
    insertReview: (review, event) => writing([review.productId], () => inner.insertReview(review, event)),
    findReviewsByIds: (ids) => inner.findReviewsByIds(ids),
    findReviewPages: (query) => inner.findReviewPages(query),
    // Reviews are not cached, and a product's rating does not change.
    eraseReviewTexts: (userId) => inner.eraseReviewTexts(userId),
    findPendingEvents: (limit) => inner.findPendingEvents(limit),
    removePendingEvents: (published) => inner.removePendingEvents(published),
    // Rates are read once per request that converts a price; they are few and change rarely.
    // Only the outbox changes: nothing cached goes stale.
    announceProductsIn: (currencies, eventFor) => inner.announceProductsIn(currencies, eventFor),
    setExchangeRate: (rate) => inner.setExchangeRate(rate),
    listExchangeRates: () => inner.listExchangeRates(),
    isEmpty: () => inner.isEmpty(),
    ping: () => inner.ping(),
    close: () => inner.close(),
  };

  return {
    repository,
    stats: {
      get hits() {
        return hits;
      },
      get misses() {
        return misses;
      },
      reset() {
        hits = 0;
        misses = 0;
      },
    },
  };
}

/** JSON with Dates tagged, so they come back as Dates (documents hold no client-chosen keys). */
export function encode(document: ProductDocument): string {
  return JSON.stringify(document, function (this: Record<string, unknown>, key: string, value: unknown) {
    const raw = this[key];
    return types.isDate(raw) ? { $date: raw.getTime() } : value;
  });
}

/** The document in a cache entry, or null for a tombstone or anything unreadable. */
export function decode(text: string): ProductDocument | null {
  if (text === TOMBSTONE) return null;
  try {
    return JSON.parse(text, (_key, value: unknown) =>
      value !== null && typeof value === 'object' && typeof (value as { $date?: unknown }).$date === 'number' && Object.keys(value).length === 1
        ? new Date((value as { $date: number }).$date)
        : value,
    ) as ProductDocument;
  } catch {
    return null;
  }
}

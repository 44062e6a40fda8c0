import type { ProductSnapshot } from '@shop/contracts';
import type { IndexedProduct } from './repository.js';

export type { ProductSnapshot };

export class SnapshotError extends Error {
  override name = 'SnapshotError';
}

const MAX_TEXT = 10_000;

/**
 * Checks a snapshot that arrived from outside (an event, the products API) and turns it into
 * what the engines store. Optional text and ratings may be missing; identity, price and dates
 * may not. Throws SnapshotError naming the first bad field.
 */
export function toIndexedProduct(value: unknown): { product: IndexedProduct; listed: boolean; updatedAt: number | null } {
  if (value === null || typeof value !== 'object') throw new SnapshotError('snapshot is not an object');
  const raw = value as Record<string, unknown>;
  const text = (field: string, required: boolean): string | null => {
    const v = raw[field];
    if (v === undefined || v === null) {
      if (required) throw new SnapshotError(`snapshot.${field} is missing`);
      return null;
    }
    if (typeof v !== 'string' || v.length > MAX_TEXT || (required && v.trim() === '')) {
      throw new SnapshotError(`snapshot.${field} is not a usable string`);
    }
    return v;
  };
  const count = (field: string, fallback?: number): number => {
    const v = raw[field] ?? fallback;
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw new SnapshotError(`snapshot.${field} is not a whole number >= 0`);
    return v;
  };
  const instant = (field: string, required: boolean): number | null => {
    const v = raw[field];
    if ((v === undefined || v === null) && !required) return null;
    const ms = typeof v === 'string' ? Date.parse(v) : Number.NaN;
    if (Number.isNaN(ms)) throw new SnapshotError(`snapshot.${field} is not an ISO-8601 time`);
    return ms;
  };

  const id = text('id', true)!;
  const categoryId = text('categoryId', true)!;
  const ancestors = raw.categoryIds ?? [];
  if (!Array.isArray(ancestors) || !ancestors.every((c): c is string => typeof c === 'string')) {
    throw new SnapshotError('snapshot.categoryIds is not a list of ids');
  }
  const currency = text('currency', true)!;
  if (!/^[A-Z]{3}$/.test(currency)) throw new SnapshotError('snapshot.currency is not an ISO 4217 code');
  const ratingAverage = raw.ratingAverage ?? 0;
  if (typeof ratingAverage !== 'number' || !Number.isFinite(ratingAverage) || ratingAverage < 0 || ratingAverage > 5) {
    throw new SnapshotError('snapshot.ratingAverage is not a number in 0..5');
  }
  const archived = raw.archived ?? false;
  if (typeof archived !== 'boolean') throw new SnapshotError('snapshot.archived is not a boolean');
  const priceMinor = count('priceMinor');
  const prices = raw.prices ?? {};
  if (prices === null || typeof prices !== 'object' || Array.isArray(prices)) throw new SnapshotError('snapshot.prices is not an object');
  for (const [code, minor] of Object.entries(prices)) {
    if (!/^[A-Z]{3}$/.test(code)) throw new SnapshotError('snapshot.prices has a key that is not an ISO 4217 code');
    if (typeof minor !== 'number' || !Number.isSafeInteger(minor) || minor < 0) throw new SnapshotError(`snapshot.prices.${code} is not a whole number >= 0`);
  }

  return {
    product: {
      id,
      sku: text('sku', false) ?? '',
      name: text('name', true)!,
      description: text('description', false),
      categoryId,
      // The own category is always a "category at or above" the product, whatever was sent.
      categoryIds: [...new Set([categoryId, ...ancestors])],
      categoryName: text('categoryName', false),
      brand: text('brand', false),
      color: text('color', false),
      size: text('size', false),
      priceMinor,
      basePriceMinor: count('basePriceMinor', priceMinor),
      currency,
      // Its own currency's entry is the current price, whatever else was sent (older producers send no prices).
      prices: { ...(prices as Record<string, number>), [currency]: priceMinor },
      ratingAverage,
      ratingCount: count('ratingCount', 0),
      createdAt: new Date(instant('createdAt', true)!).toISOString(),
    },
    listed: !archived,
    updatedAt: instant('updatedAt', false),
  };
}

import DataLoader from 'dataloader';
import { groupByKeys, orderByKeys } from '@shop/subgraph-kit';
import type { ReviewPosition } from './cursor.js';
import { isDocumentId } from './ids.js';
import { exchangeRates, type ExchangeRates } from './pricing.js';
import type { CategoryDocument, ProductDocument, ProductRepository, ReviewDocument, ReviewPage, ReviewPagesQuery } from './repository.js';

/** One page of someone's reviews: a product's or an author's. */
export interface ReviewPageKey {
  by: ReviewPagesQuery['by'];
  ownerId: string;
  first: number;
  after: ReviewPosition | null;
}

/** Built per request (in the context function), so nothing is cached across callers. */
export interface ProductLoaders {
  productById: DataLoader<string, ProductDocument | null>;
  productBySku: DataLoader<string, ProductDocument | null>;
  categoryById: DataLoader<string, CategoryDocument | null>;
  categoryChildren: DataLoader<string, CategoryDocument[]>;
  reviewById: DataLoader<string, ReviewDocument | null>;
  reviewPage: DataLoader<ReviewPageKey, ReviewPage, string>;
  /** The exchange rates, read at most once per request (whatever number of prices converts). */
  exchangeRates(): Promise<ExchangeRates>;
}

/** Keys that ask for the same page shape (owner kind, size, cursor) share one store call. */
const pageShape = (key: ReviewPageKey) => JSON.stringify([key.by, key.first, key.after?.createdAt.getTime() ?? null, key.after?.id ?? null]);
const pageKey = (key: ReviewPageKey) => JSON.stringify([pageShape(key), key.ownerId]);

export function createLoaders(repository: ProductRepository): ProductLoaders {
  // Keys that cannot be ids are answered null without a store call; if no key is left, no call.
  const withIds = async <T extends { _id: string }>(
    keys: readonly string[],
    fetch: (ids: string[]) => Promise<T[]>,
  ): Promise<(T | null)[]> => {
    const ids = keys.filter(isDocumentId);
    return orderByKeys(keys, ids.length === 0 ? [] : await fetch(ids), (row) => row._id);
  };

  let rates: Promise<ExchangeRates> | null = null;
  const loaders: ProductLoaders = {
    exchangeRates: () => (rates ??= repository.listExchangeRates().then(exchangeRates)),
    productById: new DataLoader(async (ids) => {
      const rows = await withIds(ids, (valid) => repository.findByIds(valid));
      for (const row of rows) if (row) loaders.productBySku.prime(row.sku, row);
      return rows;
    }),
    productBySku: new DataLoader(async (skus) => {
      const rows = orderByKeys(skus, await repository.findBySkus(skus), (row) => row.sku);
      for (const row of rows) if (row) loaders.productById.prime(row._id, row);
      return rows;
    }),
    categoryById: new DataLoader((ids) => withIds(ids, (valid) => repository.findCategoriesByIds(valid))),
    categoryChildren: new DataLoader(async (parentIds) => {
      const ids = parentIds.filter(isDocumentId);
      const rows = ids.length === 0 ? [] : await repository.findCategoriesByParentIds(ids);
      return groupByKeys(parentIds, rows, (row) => row.parentId ?? '');
    }),
    reviewById: new DataLoader((ids) => withIds(ids, (valid) => repository.findReviewsByIds(valid))),
    // `reviews(first, after)` on every product of a list: one store call for all of them (per
    // distinct page shape, and a list asks for one shape).
    reviewPage: new DataLoader(
      async (keys) => {
        const shapes = new Map<string, ReviewPageKey[]>();
        for (const key of keys) shapes.set(pageShape(key), [...(shapes.get(pageShape(key)) ?? []), key]);
        const pages = new Map<string, ReviewPage>();
        await Promise.all(
          [...shapes.values()].map(async (group) => {
            const [{ by, first, after }] = group as [ReviewPageKey];
            const ownerIds = [...new Set(group.map((key) => key.ownerId))];
            const found = await repository.findReviewPages({ by, ownerIds, first, ...(after ? { after } : {}) });
            for (const page of found) pages.set(pageKey({ by, first, after, ownerId: page.ownerId }), page);
          }),
        );
        return keys.map((key) => pages.get(pageKey(key)) ?? new Error(`no review page for ${key.ownerId}`));
      },
      { cacheKeyFn: pageKey },
    ),
  };
  return loaders;
}

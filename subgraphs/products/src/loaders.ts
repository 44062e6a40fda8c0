import DataLoader from 'dataloader';
import { groupByKeys, orderByKeys } from '@shop/subgraph-kit';
import { isDocumentId } from './ids.js';
import type { CategoryDocument, ProductDocument, ProductRepository } from './repository.js';

/** Built per request (in the context function), so nothing is cached across callers. */
export interface ProductLoaders {
  productById: DataLoader<string, ProductDocument | null>;
  productBySku: DataLoader<string, ProductDocument | null>;
  categoryById: DataLoader<string, CategoryDocument | null>;
  categoryChildren: DataLoader<string, CategoryDocument[]>;
}

export function createLoaders(repository: ProductRepository): ProductLoaders {
  // Keys that cannot be ids are answered null without a store call; if no key is left, no call.
  const withIds = async <T extends { _id: string }>(
    keys: readonly string[],
    fetch: (ids: string[]) => Promise<T[]>,
  ): Promise<(T | null)[]> => {
    const ids = keys.filter(isDocumentId);
    return orderByKeys(keys, ids.length === 0 ? [] : await fetch(ids), (row) => row._id);
  };

  const loaders: ProductLoaders = {
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
  };
  return loaders;
}

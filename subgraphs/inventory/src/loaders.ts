import DataLoader from 'dataloader';
import { groupByKeys } from '@shop/subgraph-kit';
import type { StockRepository } from './repository.js';
import { summarizeStock, type ProductStock } from './stock.js';

export interface InventoryLoaders {
  /** A product's stock; all zeros for a product that was never stocked. */
  stockByProductId: DataLoader<string, ProductStock>;
}

// Keeps one `IN (...)` list well under PostgreSQL's 65535 bind parameters.
const MAX_BATCH = 1000;

/** Built per request: a cache shared between requests would serve stale stock. */
export function createLoaders(repository: StockRepository): InventoryLoaders {
  return {
    stockByProductId: new DataLoader(
      async (productIds) => {
        const levels = await repository.findByProductIds(productIds);
        return groupByKeys(productIds, levels, (level) => level.productId).map(summarizeStock);
      },
      { maxBatchSize: MAX_BATCH },
    ),
  };
}

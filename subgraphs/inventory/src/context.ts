import type { RequestBase } from '@shop/subgraph-kit';
import { createLoaders, type InventoryLoaders } from './loaders.js';
import type { StockRepository } from './repository.js';

/** What every resolver and service call of one request sees. */
export interface InventoryContext extends RequestBase {
  loaders: InventoryLoaders;
}

export function createInventoryContext(base: RequestBase, repository: StockRepository): InventoryContext {
  return { ...base, loaders: createLoaders(repository) };
}

import type { RequestBase } from '@shop/subgraph-kit';
import type { ProductLoaders } from './loaders.js';

export interface ProductsContext extends RequestBase {
  loaders: ProductLoaders;
  /** One instant per request, so every price in a response and every price filter agree. */
  now: Date;
}

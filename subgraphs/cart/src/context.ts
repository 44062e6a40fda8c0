import type { RequestBase } from '@shop/subgraph-kit';
import type { CartLoaders } from './loaders.js';

/** Per request: the verified caller (from the kit) and fresh DataLoaders. */
export interface CartContext extends RequestBase {
  loaders: CartLoaders;
}

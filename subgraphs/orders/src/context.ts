import type { RequestBase } from '@shop/subgraph-kit';
import type { OrdersLoaders } from './loaders.js';

/** Per request: the verified caller and their raw `authorization` (from the kit) and fresh DataLoaders. */
export interface OrdersContext extends RequestBase {
  loaders: OrdersLoaders;
}

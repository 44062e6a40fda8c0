import type { RequestBase } from '@shop/subgraph-kit';
import type { CartLoaders } from './loaders.js';
import type { CartService } from './service.js';

/** Per request: the verified caller (from the kit), fresh DataLoaders and the service. */
export interface CartContext extends RequestBase {
  loaders: CartLoaders;
  carts: CartService;
}

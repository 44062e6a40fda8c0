import type { RequestBase } from '@shop/subgraph-kit';
import type { OrdersLoaders } from './loaders.js';
import type { OrdersService } from './service.js';

/** Per request: the verified caller and their raw `authorization` (from the kit), fresh DataLoaders and the service. */
export interface OrdersContext extends RequestBase {
  loaders: OrdersLoaders;
  orders: OrdersService;
}

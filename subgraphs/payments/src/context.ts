import type { RequestBase } from '@shop/subgraph-kit';
import type { PaymentsLoaders } from './loaders.js';
import type { PaymentsService } from './service.js';

/** Per request: the verified caller and their raw `authorization` to forward (from the kit), fresh DataLoaders and the service. */
export interface PaymentsContext extends RequestBase {
  loaders: PaymentsLoaders;
  payments: PaymentsService;
}

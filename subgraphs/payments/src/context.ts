import type { RequestBase } from '@shop/subgraph-kit';
import type { PaymentsLoaders } from './loaders.js';

/** Per request: the verified caller and their raw `authorization` to forward (from the kit) and fresh DataLoaders. */
export interface PaymentsContext extends RequestBase {
  loaders: PaymentsLoaders;
}

import type { RequestBase } from '@shop/subgraph-kit';
import type { NotificationsLoaders } from './loaders.js';

/** Per request: the verified caller (from the kit) and fresh DataLoaders. */
export interface NotificationsContext extends RequestBase {
  loaders: NotificationsLoaders;
}

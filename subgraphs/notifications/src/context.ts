import type { RequestBase } from '@shop/subgraph-kit';
import type { NotificationsLoaders } from './loaders.js';
import type { NotificationsService } from './service.js';

/** Per request: the verified caller (from the kit), fresh DataLoaders and the service. */
export interface NotificationsContext extends RequestBase {
  loaders: NotificationsLoaders;
  notifications: NotificationsService;
}

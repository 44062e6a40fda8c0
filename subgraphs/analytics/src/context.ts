import type { RequestBase } from '@shop/subgraph-kit';
import type { AnalyticsService } from './service.js';

/** Per request: the verified caller (from the kit) and the service. */
export interface AnalyticsContext extends RequestBase {
  analytics: AnalyticsService;
}

import type { RequestBase } from '@shop/subgraph-kit';
import type { RecommendationLoaders } from './recommendations.js';

/** Per request: the verified caller (from the kit) and the recommendation loaders. */
export interface AnalyticsContext extends RequestBase {
  loaders: RecommendationLoaders;
}

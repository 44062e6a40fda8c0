import type { RequestBase } from '@shop/subgraph-kit';

/** Analytics needs nothing per request beyond what the kit provides (the verified caller). */
export type AnalyticsContext = RequestBase;

// What the launcher and end-to-end tests need to run this subgraph in-process; `main.ts` is
// the entry point for running it alone, `rebuild.ts` the rebuild of the aggregates.
export { buildAnalyticsConfig } from './config.js';
export { analytics, createAnalyticsSubgraph } from './server.js';
export { rebuildAggregates } from './rebuild.js';

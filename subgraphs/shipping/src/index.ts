// What the launcher and end-to-end tests need to run this subgraph in-process; `main.ts` is
// the entry point for running it alone.
export { buildShippingConfig } from './config.js';
export { createShippingSubgraph, shipping } from './server.js';

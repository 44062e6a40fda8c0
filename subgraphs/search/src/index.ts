// What the launcher and end-to-end tests need to run this subgraph in-process; `main.ts` is
// the entry point for running it alone.
export { buildSearchConfig } from './config.js';
export { createSearchSubgraph, search } from './server.js';

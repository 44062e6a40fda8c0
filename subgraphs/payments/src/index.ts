// What the launcher and end-to-end tests need to run this subgraph in-process; `main.ts` is
// the entry point for running it alone.
export { buildPaymentsConfig } from './config.js';
export { createPaymentsSubgraph, payments } from './server.js';

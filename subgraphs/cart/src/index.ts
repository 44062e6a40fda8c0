// What the launcher and end-to-end tests need to run this subgraph in-process; `main.ts` is
// the entry point for running it alone.
export { buildCartConfig } from './config.js';
export { cart, createCartSubgraph } from './server.js';

// What the launcher and end-to-end tests need to run this subgraph in-process; `main.ts` is
// the entry point for running it alone.
export { buildUsersConfig } from './config.js';
export { createUsersSubgraph, users } from './server.js';

import base from './jest.config.js';

/**
 * `npm run test:faults`: the fault tests, each against the whole supergraph as separate processes
 * (PostgreSQL, redis-server, every subgraph, the routers), killed and restarted under load. Heavy,
 * so one file at a time, and not part of `npm test` (`.ci/run` runs both).
 */
export default {
  ...base,
  testMatch: ['<rootDir>/test/faults/**/*.faults.ts'],
  testTimeout: 300_000,
  maxWorkers: 1,
};

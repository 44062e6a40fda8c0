export * from './compose.js';
export * from './config.js';
export * from './context.js';
export * from './dataSource.js';
export * from './server.js';
export * from './supergraph.js';

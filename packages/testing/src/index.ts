export * from './graphql.js';
export * from './ports.js';
export * from './postgres.js';
export * from './redis.js';
export * from './clock.js';
export * from './tokens.js';
export * from './eventually.js';
export * from './until.js';

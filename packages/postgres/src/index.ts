export * from './database.js';
export * from './embedded.js';
export * from './migrate.js';
export { prepared } from './prepared.js';
export * from './standalone.js';
export * from './ports.js';

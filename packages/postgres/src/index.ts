export * from './database.js';
export * from './embedded.js';
export * from './migrate.js';
export * from './standalone.js';
export * from './ports.js';

export * from './auth.js';
export * from './formatError.js';
export * from './http.js';
export * from './loaders.js';
export * from './logger.js';
export * from './run.js';
export * from './server.js';

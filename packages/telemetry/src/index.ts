export * from './requestWork.js';
export * from './redis.js';
export * from './spans.js';
export * from './tracing.js';

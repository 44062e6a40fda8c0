import { createMemoryBus } from './memoryBus.js';
import { createRedisBus } from './redisBus.js';
import type { BusOptions } from './retry.js';
import type { EventBus } from './types.js';

export * from './envelope.js';
export * from './metrics.js';
export * from './outbox.js';
export * from './retry.js';
export * from './types.js';
export { createMemoryBus, createRedisBus };

/**
 * Redis Streams when a URL is given, the in-process bus otherwise (kept on disk under
 * `persistPath` when given: `npm start` does, tests do not).
 */
export function createEventBus(options: BusOptions & { redisUrl?: string | undefined; persistPath?: string }): EventBus {
  const { redisUrl, persistPath, ...busOptions } = options;
  if (redisUrl) return createRedisBus(redisUrl, busOptions);
  return createMemoryBus({ ...busOptions, ...(persistPath ? { persistPath } : {}) });
}

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

/** Redis Streams when a URL is given, the in-process bus otherwise. */
export function createEventBus(options: BusOptions & { redisUrl?: string | undefined }): EventBus {
  const { redisUrl, ...busOptions } = options;
  return redisUrl ? createRedisBus(redisUrl, busOptions) : createMemoryBus(busOptions);
}

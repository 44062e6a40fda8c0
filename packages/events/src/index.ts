import { createMemoryBus } from './memoryBus.js';
import { createRedisBus } from './redisBus.js';
import type { EventBus, EventEnvelope } from './types.js';

export * from './envelope.js';
export * from './outbox.js';
export * from './types.js';
export { createMemoryBus, createRedisBus };

/** Redis Streams when a URL is given, the in-process bus otherwise. */
export function createEventBus(options: {
  redisUrl?: string | undefined;
  onError?: (error: unknown, event?: EventEnvelope) => void;
}): EventBus {
  return options.redisUrl ? createRedisBus(options.redisUrl, { onError: options.onError }) : createMemoryBus({ onError: options.onError });
}

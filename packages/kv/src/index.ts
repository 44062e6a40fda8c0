import { createMemoryStore } from './memory.js';
import { createRedisStore } from './redis.js';
import type { KeyValueStore } from './types.js';

export { createMemoryStore, createRedisStore };
export type { KeyValueStore };

/** Redis when a URL is given, the in-process stand-in otherwise. */
export function createKeyValueStore(options: { redisUrl?: string | undefined; keyPrefix?: string }): KeyValueStore {
  return options.redisUrl ? createRedisStore(options.redisUrl, { keyPrefix: options.keyPrefix }) : createMemoryStore();
}

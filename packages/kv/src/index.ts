import { createMemoryStore } from './memory.js';
import { createRedisStore } from './redis.js';
import type { KeyValueStore } from './types.js';

export { createMemoryStore, createRedisStore };
export * from './server.js';
export { openJournal, type Journal, type JournalOptions } from './journal.js';
export { compareStreamIds, type KeyValueStore } from './types.js';

/**
 * Redis when a URL is given, the in-process stand-in otherwise (kept on disk under
 * `persistPath` when given: `npm start` does, tests do not).
 */
export function createKeyValueStore(options: { redisUrl?: string | undefined; keyPrefix?: string; persistPath?: string }): KeyValueStore {
  if (options.redisUrl) return createRedisStore(options.redisUrl, { keyPrefix: options.keyPrefix });
  return createMemoryStore(options.persistPath ? { persistPath: options.persistPath } : {});
}

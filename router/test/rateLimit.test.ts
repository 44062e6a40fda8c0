import { describe, expect, it } from '@jest/globals';
import { createMemoryStore, type KeyValueStore } from '@shop/kv';
import { createLogger } from '@shop/subgraph-kit';
import { createRateLimiter } from '../src/index.js';

const logger = createLogger({ service: 'test', level: 'silent' });

describe('rate limiter', () => {
  it('allows N requests per bucket and minute, then says how long to wait', async () => {
    let now = 60_000 * 1000 + 15_000; // 15 s into a window
    const limiter = createRateLimiter({ kv: createMemoryStore(), perMinute: 3, logger, now: () => now });
    for (let i = 0; i < 3; i++) expect(await limiter.take('ip:a')).toEqual({ allowed: true });
    expect(await limiter.take('ip:a')).toEqual({ allowed: false, retryAfterSeconds: 45 });
    expect(await limiter.take('ip:b')).toEqual({ allowed: true });
    now += 45_000;
    expect(await limiter.take('ip:a')).toEqual({ allowed: true });
  });

  it('counts a batch as its number of operations', async () => {
    const limiter = createRateLimiter({ kv: createMemoryStore(), perMinute: 10, logger });
    expect(await limiter.take('key:k', 10)).toEqual({ allowed: true });
    expect((await limiter.take('key:k', 1)).allowed).toBe(false);
  });

  it('lets requests through when the store fails, and does nothing when off', async () => {
    const broken = { incr: async () => Promise.reject(new Error('redis down')) } as unknown as KeyValueStore;
    expect(await createRateLimiter({ kv: broken, perMinute: 1, logger }).take('ip:a')).toEqual({ allowed: true });
    expect(await createRateLimiter({ kv: broken, perMinute: 0, logger }).take('ip:a')).toEqual({ allowed: true });
  });
});

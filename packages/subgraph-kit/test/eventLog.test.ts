import { describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { createRedisStore } from '@shop/kv';
import { cutSubscriberConnection } from '@shop/testing';
import { createEventLog, createLogger } from '../src/index.js';

// The log's readers wake on a pub/sub message sent with each append. Pub/sub keeps nothing: a
// wake-up sent while a reader's connection to Redis is down (Redis restarting, a network blip) is
// lost, and before this the reader slept until the next append, which may never come.
describe('event log readers across a lost Redis connection', () => {
  it('deliver what was appended while their wake-up was lost, once the connection is back', async () => {
    const connectionName = `event-log-${randomUUID().slice(0, 8)}`;
    const store = createRedisStore(process.env.SHOP_TEST_REDIS_URL!, { keyPrefix: `event-log-test:${randomUUID()}:`, connectionName });
    const log = createEventLog<{ productId: string }>({ store, stream: 'stock', logger: createLogger({ service: 'test', level: 'silent' }) });
    const events = await log.subscribe({});
    try {
      // Appended to the stream with no wake-up at all: what a reader sees when the wake-up is lost.
      await store.append('stock', JSON.stringify({ productId: 'p1' }), { retainMs: 60_000 });
      const next = events.next();
      await cutSubscriberConnection(process.env.SHOP_TEST_REDIS_URL!, connectionName);
      const { value } = await next;
      expect(value?.event).toEqual({ productId: 'p1' });
    } finally {
      await events.return?.();
      await store.close();
    }
  });
});

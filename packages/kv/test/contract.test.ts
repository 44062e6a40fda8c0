import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { createMemoryStore, createRedisStore, type KeyValueStore } from '@shop/kv';

// The same contract for the real Redis adapter (against the suite's redis-server) and the
// in-process stand-in: anything that passes here behaves the same in embedded and production mode.
const adapters: Array<[string, () => KeyValueStore]> = [
  ['memory', () => createMemoryStore()],
  ['redis', () => createRedisStore(process.env.SHOP_TEST_REDIS_URL!, { keyPrefix: `kv-test:${randomUUID()}:` })],
];

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(adapters)('key-value store contract: %s', (_name, create) => {
  let kv: KeyValueStore;
  beforeAll(() => {
    kv = create();
  });
  afterAll(async () => {
    await kv.close();
  });

  it('stores, reads many in key order and deletes', async () => {
    await kv.set('a', '1');
    await kv.set('b', '2');
    expect(await kv.get('a')).toBe('1');
    expect(await kv.getMany(['b', 'missing', 'a'])).toEqual(['2', null, '1']);
    expect(await kv.del('a', 'missing')).toBe(1);
    expect(await kv.get('a')).toBeNull();
  });

  it('expires keys after their TTL', async () => {
    await kv.set('short', 'x', { ttlSeconds: 0.2 });
    expect(await kv.get('short')).toBe('x');
    expect(await kv.ttl('short')).toBe(1);
    await wait(300);
    expect(await kv.get('short')).toBeNull();
    expect(await kv.ttl('short')).toBeNull();
  });

  it('sets only absent keys', async () => {
    expect(await kv.setIfAbsent('once', 'first', { ttlSeconds: 10 })).toBe(true);
    expect(await kv.setIfAbsent('once', 'second')).toBe(false);
    expect(await kv.get('once')).toBe('first');
  });

  it('counts atomically within a window that starts at the first increment', async () => {
    const results = await Promise.all(Array.from({ length: 50 }, () => kv.incr('hits', { ttlSeconds: 0.3 })));
    expect([...results].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(await kv.incr('hits', { by: 5, ttlSeconds: 100 })).toBe(55);
    await wait(400);
    // The later increments did not extend the window: it expired and starts again.
    expect(await kv.incr('hits', { ttlSeconds: 10 })).toBe(1);
  });

  it('delivers published messages to every subscriber until it unsubscribes', async () => {
    const a: string[] = [];
    const b: string[] = [];
    const offA = await kv.subscribe('news', (m) => a.push(m));
    const offB = await kv.subscribe('news', (m) => b.push(m));
    await kv.publish('news', 'one');
    await kv.publish('other', 'ignored');
    await wait(100);
    await offA();
    await kv.publish('news', 'two');
    await wait(100);
    expect(a).toEqual(['one']);
    expect(b).toEqual(['one', 'two']);
    await offB();
  });
});

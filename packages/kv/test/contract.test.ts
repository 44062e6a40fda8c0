import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { compareStreamIds, createMemoryStore, createRedisStore, startRedisServer, type KeyValueStore } from '@shop/kv';
import { cutSubscriberConnection, eventually, freePort } from '@shop/testing';

// The same contract for the real Redis adapter (against the suite's redis-server) and the
// in-process stand-in: anything that passes here behaves the same in embedded and production mode.
// The in-process store runs on an injected clock that only `elapse` moves, so its windows are
// exact; Redis keeps its own clock, so there `elapse` waits for real and no assertion depends on
// how quickly a busy machine gets from one call to the next.
interface Adapter {
  create(): KeyValueStore;
  /** Lets `ms` pass for the store's TTLs. */
  elapse(ms: number): Promise<void>;
}

let clock = Date.parse('2026-12-06T10:00:00Z');
const adapters: Array<[string, Adapter]> = [
  [
    'memory',
    {
      create: () => createMemoryStore({ now: () => clock }),
      elapse: async (ms) => {
        clock += ms;
      },
    },
  ],
  [
    'redis',
    {
      create: () => createRedisStore(process.env.SHOP_TEST_REDIS_URL!, { keyPrefix: `kv-test:${randomUUID()}:` }),
      elapse: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    },
  ],
];

describe.each(adapters)('key-value store contract: %s', (_name, adapter) => {
  let kv: KeyValueStore;
  beforeAll(() => {
    kv = adapter.create();
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

  it('expires keys after their TTL, counted in seconds', async () => {
    await kv.set('short', 'x', { ttlSeconds: 0.2 });
    await kv.set('long', 'y', { ttlSeconds: 60 });
    expect(await kv.get('long')).toBe('y');
    expect(await kv.ttl('long')).toBeGreaterThan(50);
    expect(await kv.ttl('long')).toBeLessThanOrEqual(60);
    await adapter.elapse(300);
    expect(await kv.get('short')).toBeNull();
    expect(await kv.ttl('short')).toBeNull();
    expect(await kv.get('long')).toBe('y');
  });

  it('sets only absent keys', async () => {
    expect(await kv.setIfAbsent('once', 'first', { ttlSeconds: 10 })).toBe(true);
    expect(await kv.setIfAbsent('once', 'second')).toBe(false);
    expect(await kv.get('once')).toBe('first');
  });

  it('counts atomically within a window that starts at the first increment', async () => {
    const results = await Promise.all(Array.from({ length: 50 }, () => kv.incr('hits', { ttlSeconds: 30 })));
    expect([...results].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(await kv.incr('hits', { by: 5, ttlSeconds: 100 })).toBe(55);
    // The later increment did not extend the window to its own TTL.
    expect(await kv.ttl('hits')).toBeLessThanOrEqual(30);

    expect(await kv.incr('brief', { ttlSeconds: 0.2 })).toBe(1);
    await adapter.elapse(300);
    // The window ended: counting starts again.
    expect(await kv.incr('brief', { ttlSeconds: 10 })).toBe(1);
  });

  it('delivers published messages to every subscriber until it unsubscribes', async () => {
    const a: string[] = [];
    const b: string[] = [];
    const offA = await kv.subscribe('news', (m) => a.push(m));
    const offB = await kv.subscribe('news', (m) => b.push(m));
    await kv.publish('news', 'one');
    await kv.publish('other', 'ignored');
    await kv.publish('news', 'after ignored');
    await eventually(async () => [...a, ...b], (seen) => seen.length >= 4);
    expect(a).toEqual(['one', 'after ignored']);
    await offA();
    await kv.publish('news', 'two');
    // One connection delivers a channel's messages in order: once b has 'two', a would have it too.
    await eventually(async () => b, (seen) => seen.includes('two'));
    expect(a).toEqual(['one', 'after ignored']);
    expect(b).toEqual(['one', 'after ignored', 'two']);
    await offB();
  });

  it('appends to a log in order and reads after an id, telling when older entries were dropped', async () => {
    const stream = `log-${randomUUID()}`;
    expect(await kv.lastId(stream)).toBe('0-0');
    const ids: string[] = [];
    for (const n of [1, 2, 3]) ids.push(await kv.append(stream, `event ${n}`, { retainMs: 60_000 }));
    expect([...ids].sort(compareStreamIds)).toEqual(ids);
    expect(new Set(ids).size).toBe(3);
    expect(await kv.lastId(stream)).toBe(ids[2]);
    expect(await kv.readAfter(stream, ids[0]!, 10)).toEqual({
      entries: [
        { id: ids[1], message: 'event 2' },
        { id: ids[2], message: 'event 3' },
      ],
      complete: true,
    });
    expect((await kv.readAfter(stream, ids[0]!, 1)).entries).toEqual([{ id: ids[1], message: 'event 2' }]);

    // Appended with no retention: everything older than now goes, and a reader after it is told.
    const trimmed = `log-${randomUUID()}`;
    const first = await kv.append(trimmed, 'old', { retainMs: 60_000 });
    // The next entry is in a later millisecond than `first`, so retention 0 drops `first` only.
    await adapter.elapse(5);
    const second = await kv.append(trimmed, 'new', { retainMs: 0 });
    // Whoever read only up to `first` (or less) may have missed entries: it is told so.
    expect(await kv.readAfter(trimmed, first, 10)).toEqual({ entries: [{ id: second, message: 'new' }], complete: false });
    expect((await kv.readAfter(trimmed, '0-0', 10)).complete).toBe(false);
    expect(await kv.readAfter(trimmed, second, 10)).toEqual({ entries: [], complete: true });
  });

  it('appends once per key: a repeat (a redelivered event) adds nothing and gets the first id', async () => {
    const stream = `log-${randomUUID()}`;
    const once = { key: `seen-${randomUUID()}`, ttlSeconds: 60 };
    const [a, b] = await Promise.all([
      kv.append(stream, 'event', { retainMs: 60_000, once }),
      kv.append(stream, 'event', { retainMs: 60_000, once }),
    ]);
    expect(b).toBe(a);
    expect(await kv.append(stream, 'event', { retainMs: 60_000, once })).toBe(a);
    const other = await kv.append(stream, 'another', { retainMs: 60_000, once: { key: `seen-${randomUUID()}`, ttlSeconds: 60 } });
    expect((await kv.readAfter(stream, '0-0', 10)).entries).toEqual([
      { id: a, message: 'event' },
      { id: other, message: 'another' },
    ]);
  });
});

describe('in-process store on an injected clock', () => {
  it('keeps a key until its TTL to the millisecond, and reports the TTL rounded up to whole seconds', async () => {
    let now = Date.parse('2026-12-06T10:00:00Z');
    const kv = createMemoryStore({ now: () => now });
    await kv.set('short', 'x', { ttlSeconds: 0.2 });
    expect(await kv.ttl('short')).toBe(1);
    now += 199;
    expect(await kv.get('short')).toBe('x');
    now += 1;
    expect(await kv.get('short')).toBeNull();
    await kv.close();
  });
});

describe('Redis subscriptions across a lost connection', () => {
  // Only this store's subscriber connection is cut (by its name): other suites keep theirs.
  const connectionName = `kv-resume-${randomUUID().slice(0, 8)}`;
  it('subscribes again by itself, then says so (onResume): messages flow again from that moment', async () => {
    const kv = createRedisStore(process.env.SHOP_TEST_REDIS_URL!, { keyPrefix: `kv-test:${randomUUID()}:`, connectionName });
    const received: string[] = [];
    let resumed = 0;
    const off = await kv.subscribe('news', (m) => received.push(m), { onResume: () => (resumed += 1) });
    await kv.publish('news', 'before');
    await eventually(async () => received, (r) => r.includes('before'));
    await cutSubscriberConnection(process.env.SHOP_TEST_REDIS_URL!, connectionName);
    expect(await eventually(async () => resumed, (n) => n === 1)).toBe(1);
    // Once resumed, a message published right away arrives: the subscription was live again.
    await kv.publish('news', 'after');
    expect(await eventually(async () => received, (r) => r.includes('after'))).toEqual(['before', 'after']);
    await off();
    await kv.close();
  });

  it('subscribes when asked again after a subscription that failed (no Redis yet), once', async () => {
    const port = await freePort();
    const kv = createRedisStore(`redis://127.0.0.1:${port}`, { keyPrefix: 'kv-test:' });
    const received: string[] = [];
    await expect(kv.subscribe('news', (m) => received.push(`first: ${m}`))).rejects.toThrow();
    const redis = await startRedisServer({ port });
    try {
      const off = await kv.subscribe('news', (m) => received.push(m));
      await kv.publish('news', 'up');
      expect(await eventually(async () => received, (r) => r.length > 0)).toEqual(['up']);
      await off();
    } finally {
      await kv.close();
      await redis.stop();
    }
  });
});

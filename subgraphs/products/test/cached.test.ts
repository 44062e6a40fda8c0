import { randomBytes } from 'node:crypto';
import { afterAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createMemoryStore, createRedisStore, type KeyValueStore } from '@shop/kv';
import { createLogger } from '@shop/subgraph-kit';
import type { PendingEvent, ProductDocument, ProductRepository } from '../src/repository.js';
import { decode, encode, productCacheKey, withProductCache } from '../src/repository/cached.js';
import { createEmbeddedProductRepository } from '../src/repository/embedded.js';
import { category, daysFromNow, fixtureId, product, recording } from './fixtures.js';

const logger = createLogger({ service: 'products-test', level: 'silent' });
const redisUrl = process.env.SHOP_TEST_REDIS_URL;
const pid = (n: number) => fixtureId('product', n);
const updated: PendingEvent = { id: 'e', type: 'product.updated', occurredAt: new Date() };

/** Counts the calls made to a key-value store, by method. */
function countingKv(inner: KeyValueStore): { kv: KeyValueStore; calls: Record<string, number> } {
  const calls: Record<string, number> = {};
  const kv = new Proxy(inner, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls[String(property)] = (calls[String(property)] ?? 0) + 1;
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { kv, calls };
}

const kinds: [string, () => KeyValueStore][] = [['in-process store', () => createMemoryStore()]];
if (redisUrl) kinds.push(['real Redis', () => createRedisStore(redisUrl, { keyPrefix: `products-test-${randomBytes(4).toString('hex')}:` })]);
else console.log('skipped: no SHOP_TEST_REDIS_URL (redis-server not installed): the cache suite runs on the in-process store only');

describe('document codec', () => {
  it('brings Dates back as Dates, and refuses tombstones and garbage', () => {
    const document = product(1, {
      sku: 'C-1',
      name: 'Codec',
      categoryId: 'c',
      minor: 100,
      discount: { type: 'FIXED', value: 1, startsAt: new Date('2025-01-01T00:00:00Z'), endsAt: null },
    });
    const back = decode(encode(document))!;
    expect(back).toEqual(document);
    expect(back.discount!.startsAt).toBeInstanceOf(Date);
    expect(decode('!invalidated')).toBeNull();
    expect(decode('{not json')).toBeNull();
  });
});

describe.each(kinds)('product cache on the %s', (_kind, makeKv) => {
  let store: ProductRepository;
  let base: KeyValueStore;
  const opened: KeyValueStore[] = [];

  beforeEach(async () => {
    store = createEmbeddedProductRepository();
    await store.insertCategories([category(1, 'Hats', null)]);
    await store.insertProducts(
      Array.from({ length: 30 }, (_, i) =>
        product(i + 1, { sku: `CACHE-${i + 1}`, name: `Hat ${i + 1}`, categoryId: fixtureId('category', 1), minor: 1000 + i, discount: { type: 'PERCENTAGE', value: 1000, startsAt: daysFromNow(-1), endsAt: null } }),
      ),
    );
    base = makeKv();
    opened.push(base);
  });

  afterAll(async () => {
    await Promise.all(opened.map((kv) => kv.close()));
  });

  const cached = (kv: KeyValueStore = base, inner: ProductRepository = store) => withProductCache(inner, kv, { logger });

  it('reads a batch with one getMany, then one store call for the misses only', async () => {
    const { kv, calls: kvCalls } = countingKv(base);
    const { repository: inner, calls } = recording(store);
    const { repository, stats } = cached(kv, inner);

    const first = await repository.findByIds([pid(1), pid(2), pid(3)]);
    expect(first.map((d) => d._id).sort()).toEqual([pid(1), pid(2), pid(3)]);
    expect(calls).toEqual([{ method: 'findByIds', args: [[pid(1), pid(2), pid(3)]] }]);
    expect(kvCalls.getMany).toBe(1);

    calls.length = 0;
    kvCalls.getMany = 0;
    const second = await repository.findByIds([pid(2), pid(4), pid(1), pid(5), pid(3)]);
    expect(second.map((d) => d._id).sort()).toEqual([1, 2, 3, 4, 5].map(pid));
    expect(calls).toEqual([{ method: 'findByIds', args: [[pid(4), pid(5)]] }]);
    expect(kvCalls.getMany).toBe(1);
    expect(stats.hits).toBe(3);
    expect(stats.misses).toBe(5);

    calls.length = 0;
    const third = await repository.findByIds([pid(5), pid(1)]);
    expect(calls).toEqual([]);
    expect(third).toEqual(await store.findByIds([pid(1), pid(5)]).then((rows) => [rows[1], rows[0]]));
  });

  it('answers SKUs it has seen from the cache, and asks the store for the others only', async () => {
    const { repository: inner, calls } = recording(store);
    const { repository } = cached(base, inner);
    await repository.findByIds([pid(7)]);
    calls.length = 0;
    const found = await repository.findBySkus(['CACHE-7', 'CACHE-8', 'NOPE']);
    expect(found.map((d) => d.sku).sort()).toEqual(['CACHE-7', 'CACHE-8']);
    expect(calls).toEqual([{ method: 'findBySkus', args: [['CACHE-8', 'NOPE']] }]);
    calls.length = 0;
    await repository.findBySkus(['CACHE-7', 'CACHE-8']);
    expect(calls).toEqual([]);
  });

  it('never serves a product as it was before an update or an archive', async () => {
    const { repository } = cached();
    await repository.findByIds([pid(1), pid(2)]);
    await repository.updateProduct(pid(1), { name: 'Renamed hat' }, new Date(), updated);
    await repository.archiveProduct(pid(2), new Date('2025-05-05T00:00:00Z'), { ...updated, type: 'product.archived' });
    const [one, two] = (await repository.findByIds([pid(1), pid(2)])).sort((a, b) => a._id.localeCompare(b._id));
    expect(one!.name).toBe('Renamed hat');
    expect(two!.archivedAt).toEqual(new Date('2025-05-05T00:00:00Z'));
    expect((await repository.findBySkus(['CACHE-1']))[0]!.name).toBe('Renamed hat');
  });

  it('never serves a product as it was before a review changed its rating', async () => {
    const { repository } = cached();
    await repository.findByIds([pid(3)]);
    await repository.insertReview(
      { _id: fixtureId('review', 1), productId: pid(3), userId: 'u', rating: 5, title: null, body: null, createdAt: new Date() },
      updated,
    );
    expect((await repository.findByIds([pid(3)]))[0]!.ratingSummary).toEqual({ count: 1, sum: 5 });
  });

  it('does not let a read that fetched the old product just before a write put it back after it', async () => {
    // The read's store call sees the product before the write, but answers only after the write
    // (and its invalidation) finished: the classic cache-aside race.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let fetched!: () => void;
    const started = new Promise<void>((resolve) => (fetched = resolve));
    const slow: ProductRepository = {
      ...store,
      async findByIds(ids) {
        const rows = await store.findByIds(ids);
        fetched();
        await gate;
        return rows;
      },
    };
    const { repository } = cached(base, slow);
    const { repository: writer } = cached(base, store);

    const staleRead = repository.findByIds([pid(9)]);
    await started;
    await writer.updateProduct(pid(9), { name: 'Fresh name' }, new Date(), updated);
    release();
    expect((await staleRead)[0]!.name).toBe('Hat 9');

    expect((await writer.findByIds([pid(9)]))[0]!.name).toBe('Fresh name');
    expect(decode((await base.get(productCacheKey(pid(9)))) ?? '!invalidated')?.name ?? null).not.toBe('Hat 9');
  });

  it('forgets what it held for ids and SKUs that are inserted again (a restarted embedded store)', async () => {
    const { repository } = cached();
    const stale: ProductDocument = { ...(await store.findByIds([pid(1)]))[0]!, _id: pid(99), sku: 'CACHE-99', name: 'From an earlier run' };
    await base.set(productCacheKey(pid(99)), encode(stale));
    await repository.insertProducts([product(99, { sku: 'CACHE-99', name: 'This run', categoryId: fixtureId('category', 1), minor: 1 })]);
    expect((await repository.findByIds([pid(99)]))[0]!.name).toBe('This run');
    expect((await repository.findBySkus(['CACHE-99']))[0]!.name).toBe('This run');
  });
});

describe('product cache when the key-value store fails', () => {
  const failing = (methods: string[]): KeyValueStore => {
    const inner = createMemoryStore();
    return new Proxy(inner, {
      get(target, property, receiver) {
        if (methods.includes(String(property))) return async () => Promise.reject(new Error('connection refused'));
        return Reflect.get(target, property, receiver);
      },
    });
  };

  it('reads from the store when the cache cannot be read', async () => {
    const store = createEmbeddedProductRepository();
    await store.insertProducts([product(1, { sku: 'F-1', name: 'Still here', categoryId: 'c', minor: 1 })]);
    const { repository } = withProductCache(store, failing(['getMany', 'setIfAbsent']), { logger });
    expect((await repository.findByIds([pid(1)]))[0]!.name).toBe('Still here');
    expect((await repository.findBySkus(['F-1']))[0]!.name).toBe('Still here');
  });

  it('refuses a write it cannot invalidate, rather than leave an outdated product cached', async () => {
    const store = createEmbeddedProductRepository();
    await store.insertProducts([product(1, { sku: 'F-1', name: 'Unchanged', categoryId: 'c', minor: 1 })]);
    const { repository } = withProductCache(store, failing(['set']), { logger });
    await expect(repository.updateProduct(pid(1), { name: 'Changed' }, new Date(), updated)).rejects.toThrow('connection refused');
    expect((await store.findByIds([pid(1)]))[0]!.name).toBe('Unchanged');
  });
});

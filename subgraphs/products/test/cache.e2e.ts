import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createMemoryStore, createRedisStore, type KeyValueStore } from '@shop/kv';
import { graphqlOk } from '@shop/testing';
import { generateDemoCatalog } from '../src/seed/demoCatalog.js';
import { startProducts, type RunningProducts } from './harness.js';

const redisUrl = process.env.SHOP_TEST_REDIS_URL;
const catalog = generateDemoCatalog();
const listed = catalog.products.filter((p) => p.archivedAt === null);

const PRODUCT = `query($id: ID!) { product(id: $id) { id name archivedAt rating { average count } price { amount } } }`;
const ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Product { id name } } }`;

const kinds: [string, () => KeyValueStore][] = [['in-process store', () => createMemoryStore()]];
if (redisUrl) kinds.push(['real Redis', () => createRedisStore(redisUrl, { keyPrefix: `products-e2e-${randomBytes(4).toString('hex')}:` })]);
else console.log('skipped: no SHOP_TEST_REDIS_URL (redis-server not installed): the cache e2e runs on the in-process store only');

describe.each(kinds)('product cache over HTTP, on the %s', (_kind, makeKv) => {
  let api: RunningProducts;
  let kv: KeyValueStore;
  let admin: string;
  const getManyCalls = { count: 0 };

  beforeAll(async () => {
    const inner = makeKv();
    kv = new Proxy(inner, {
      get(target, property, receiver) {
        if (property === 'getMany') getManyCalls.count += 1;
        return Reflect.get(target, property, receiver);
      },
    });
    api = await startProducts({}, { kv });
    admin = await api.token('ADMIN');
  });

  afterAll(async () => {
    await api.stop();
    await kv.close();
  });

  const read = async (id: string) => (await graphqlOk(api.url, PRODUCT, { id })).product;
  const reset = () => {
    api.subgraph.storeStats.reset();
    api.subgraph.cacheStats.reset();
    getManyCalls.count = 0;
  };

  it('answers a product read again from the cache, without the store', async () => {
    const id = listed[0]!._id;
    reset();
    const first = await read(id);
    expect(api.subgraph.storeStats.calls).toBe(1);
    reset();
    expect(await read(id)).toEqual(first);
    expect(api.subgraph.storeStats.calls).toBe(0);
    expect(api.subgraph.cacheStats.hits).toBe(1);
  });

  it('reads a batch of references with one getMany and one store call for the misses', async () => {
    const ids = listed.slice(10, 40).map((p) => p._id);
    await graphqlOk(api.url, ENTITIES, { r: ids.slice(0, 10).map((id) => ({ __typename: 'Product', id })) });
    reset();
    const { _entities } = await graphqlOk(api.url, ENTITIES, { r: ids.map((id) => ({ __typename: 'Product', id })) });
    expect(_entities.map((e: { id: string }) => e.id)).toEqual(ids);
    expect(getManyCalls.count).toBe(1);
    expect(api.subgraph.storeStats.calls).toBe(1);
    expect(api.subgraph.cacheStats).toMatchObject({ hits: 10, misses: 20 });
  });

  it('never serves a product after it was updated', async () => {
    const id = listed[1]!._id;
    await read(id);
    await read(id);
    await graphqlOk(api.url, `mutation($id: ID!) { updateProduct(id: $id, input: { name: "Renamed while cached" }) { id } }`, { id }, { token: admin });
    expect(await read(id)).toMatchObject({ name: 'Renamed while cached' });
    expect(await read(id)).toMatchObject({ name: 'Renamed while cached' });
  });

  it('never serves a product after it was archived, and no list shows it', async () => {
    const id = listed[2]!._id;
    await read(id);
    const { archiveProduct } = await graphqlOk(api.url, `mutation($id: ID!) { archiveProduct(id: $id) { archivedAt } }`, { id }, { token: admin });
    expect((await read(id)).archivedAt).toBe(archiveProduct.archivedAt);
    const { products } = await graphqlOk(api.url, `query($skus: [String!]) { products(filter: { skus: $skus }) { totalCount } }`, { skus: [listed[2]!.sku] });
    expect(products.totalCount).toBe(0);
  });

  it('never serves a rating older than the last review', async () => {
    const id = listed[3]!._id;
    expect((await read(id)).rating).toEqual({ average: 0, count: 0 });
    await graphqlOk(api.url, `mutation($id: ID!) { addReview(productId: $id, rating: 5) { id } }`, { id }, { token: await api.token('CUSTOMER', 'reviewer') });
    expect((await read(id)).rating).toEqual({ average: 5, count: 1 });
  });
});

import { afterAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { createRedisStore } from '@shop/kv';
import { apqKey, createPersistedQueries, manifestOperations, sha256Hex } from '../src/index.js';

const listed = 'query Categories { categories { id name } }';
const manifest = manifestOperations({
  format: 'apollo-persisted-query-manifest',
  version: 1,
  operations: [{ id: sha256Hex(listed), name: 'Categories', type: 'query', body: listed }],
});
const persisted = (query: string) => ({ persistedQuery: { version: 1, sha256Hash: sha256Hex(query) } });

describe('persisted queries', () => {
  const kv = createRedisStore(process.env.SHOP_TEST_REDIS_URL!, { keyPrefix: `apq-test:${randomUUID()}:` });
  const queries = createPersistedQueries({ kv, manifest });
  afterAll(async () => {
    await kv.close();
  });

  it('registers a query sent with its hash (in the store) and answers the hash alone afterwards', async () => {
    const query = `{ products(first: ${Math.floor(Math.random() * 1000)}) { totalCount } }`;
    const miss = await queries.resolve({ extensions: persisted(query) }, false);
    expect(miss).toMatchObject({ ok: false, status: 200, error: { code: 'PERSISTED_QUERY_NOT_FOUND', message: 'PersistedQueryNotFound' } });

    const offered = await queries.resolve({ query, extensions: persisted(query) }, false);
    expect(offered).toEqual({ ok: true, query, changed: true, register: expect.any(Function) });
    // Nothing is kept until the caller has checked the document and registers it.
    expect(await kv.get(apqKey(sha256Hex(query)))).toBeNull();
    if (offered.ok) await offered.register?.();
    expect(await kv.get(apqKey(sha256Hex(query)))).toBe(query);
    // Another replica (its own process cache) finds it in the shared store.
    const replica = createPersistedQueries({ kv, manifest: new Map() });
    expect(await replica.resolve({ extensions: persisted(query) }, false)).toEqual({ ok: true, query, changed: true });
  });

  it('never offers to keep a document over the size cap, though it still runs', async () => {
    const small = createPersistedQueries({ kv, manifest, maxQueryBytes: 64 });
    const query = `{ products(first: 1) { totalCount } } # ${'x'.repeat(64)}`;
    expect(await small.resolve({ query, extensions: persisted(query) }, false)).toEqual({ ok: true, query, changed: true });
  });

  it('refuses a hash that does not match the query, and a malformed extension', async () => {
    expect(await queries.resolve({ query: '{ a }', extensions: persisted('{ b }') }, false)).toMatchObject({
      ok: false,
      status: 400,
      error: { code: 'BAD_REQUEST', message: 'provided sha does not match query' },
    });
    expect(await queries.resolve({ extensions: { persistedQuery: { version: 2, sha256Hash: 'x' } } }, false)).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST' },
    });
  });

  it('holds partners to the manifest, by id', async () => {
    expect(await queries.resolve({ extensions: persisted(listed) }, true)).toEqual({ ok: true, query: listed, changed: true });
    // Sending the text as well changes nothing: the manifest body is what runs.
    expect(await queries.resolve({ query: listed, extensions: persisted(listed) }, true)).toMatchObject({ ok: true, query: listed });
    for (const request of [{ query: '{ categories { id } }' }, { extensions: persisted('{ categories { id } }') }]) {
      expect(await queries.resolve(request, true)).toMatchObject({ ok: false, status: 400, error: { code: 'PERSISTED_QUERY_NOT_IN_LIST' } });
    }
  });

  it('passes full queries of other clients through untouched', async () => {
    expect(await queries.resolve({ query: '{ a }' }, false)).toEqual({ ok: true, query: '{ a }', changed: false });
  });

  it('refuses a manifest whose id is not the hash of its body', () => {
    expect(() =>
      manifestOperations({ format: 'apollo-persisted-query-manifest', version: 1, operations: [{ id: 'abc', name: 'X', type: 'query', body: '{ a }' }] }),
    ).toThrow(/SHA-256/);
    expect(() => manifestOperations({ format: 'other', version: 1, operations: [] })).toThrow(/apollo-persisted-query-manifest/);
  });
});

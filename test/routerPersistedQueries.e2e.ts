import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRedisStore, type KeyValueStore } from '@shop/kv';
import {
  apqKey,
  composeSupergraph,
  createRouter,
  readPersistedQueryManifest,
  sha256Hex,
  type PersistedQueryManifest,
  type Router,
} from '@shop/router';
import { createLogger } from '@shop/subgraph-kit';
import { graphqlOk } from '@shop/testing';
import { createPartnerClient, partnerOperation } from '../clients/partner/src/index.js';
import { startSupergraph, type Supergraph } from './support/supergraph.js';

// Persisted queries end to end: APQ cached in the suite's real Redis, and the partner safelist
// from the committed manifest, over the real subgraphs.
const root = join(new URL('.', import.meta.url).pathname, '..');
const PARTNER_KEY = 'partner-e2e-key-0123456789abcdef';
const prefix = `router-pq-e2e:${randomUUID()}:`;
const PARTNER_MANIFEST_PATH = 'clients/partner/persisted-query-manifest.json';

let sg: Supergraph;
let supergraphSdl: string;
const stores: KeyValueStore[] = [];
const routers: Router[] = [];
let url: string;
const manifest = JSON.parse(readFileSync(join(root, PARTNER_MANIFEST_PATH), 'utf8')) as PersistedQueryManifest;

/** A router replica over the running subgraphs, with its own connection to the shared Redis. */
async function startRouter(): Promise<string> {
  const kv = createRedisStore(process.env.SHOP_TEST_REDIS_URL!, { keyPrefix: prefix });
  stores.push(kv);
  const router = createRouter({ serviceKey: sg.routerKey,
    supergraphSdl,
    logger: createLogger({ service: 'router', level: 'silent' }),
    accessTokens: sg.jwksUrl,
    kv,
    partnerApiKeys: [PARTNER_KEY],
    partnerManifest: await readPersistedQueryManifest(join(root, PARTNER_MANIFEST_PATH)),
  });
  routers.push(router);
  return (await router.listen(0, '127.0.0.1')).url;
}

function post(target: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(target, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) }).then(
    async (response) => ({ status: response.status, body: (await response.json()) as any }),
  );
}

const byId = (name: string) => {
  const operation = manifest.operations.find((op) => op.name === name);
  if (!operation) throw new Error(`no ${name} in the manifest`);
  return { operationName: name, extensions: { persistedQuery: { version: 1, sha256Hash: operation.id } } };
};

beforeAll(async () => {
  sg = await startSupergraph();
  supergraphSdl = composeSupergraph(
    Object.entries(sg.stack.urls).map(([name, subgraphUrl]) => ({
      name,
      url: subgraphUrl,
      typeDefs: readFileSync(join(root, 'subgraphs', name, 'src', 'schema.graphql'), 'utf8'),
    })),
  ).supergraphSdl;
  url = await startRouter();
});

afterAll(async () => {
  await Promise.all(routers.map((router) => router.stop()));
  await Promise.all(stores.map((kv) => kv.close()));
  await sg?.stop();
});

describe('the partner manifest', () => {
  it('holds Apollo’s ids: the SHA-256 of each body, as @apollo/generate-persisted-query-manifest wrote it (test/codegen.test.ts checks it is current)', () => {
    expect(manifest.operations.map((op) => op.name)).toEqual(['Categories', 'ProductBySku', 'ProductListing', 'StockBySkus']);
    for (const op of manifest.operations) expect(op.id).toBe(sha256Hex(op.body));
  });

  it('serves a partner app on Apollo Client with Apollo’s persisted query list link, entities normalized in its cache', async () => {
    const sent: Array<{ name: string; id: string; query: boolean }> = [];
    const recording: typeof fetch = async (input, init) => {
      const body = JSON.parse(String(init?.body));
      sent.push({ name: body.operationName, id: body.extensions.persistedQuery.sha256Hash, query: 'query' in body });
      return fetch(input, init);
    };
    const client = createPartnerClient({ url, apiKey: PARTNER_KEY, fetch: recording });
    const listing = await client.query({ query: partnerOperation('ProductListing'), variables: { first: 3 } });
    const nodes = (listing.data as any).products.edges.map((edge: any) => edge.node);
    expect(nodes).toHaveLength(3);
    expect(nodes[0]).toMatchObject({ __typename: 'Product', id: expect.any(String), price: { __typename: 'Money' } });

    const product = await client.query({ query: partnerOperation('ProductBySku'), variables: { sku: nodes[0].sku } });
    expect((product.data as any).product).toMatchObject({ __typename: 'Product', id: nodes[0].id, sku: nodes[0].sku });
    // One normalized Product entry, filled by both operations.
    expect((client.cache.extract() as Record<string, unknown>)[`Product:${nodes[0].id}`]).toMatchObject({ sku: nodes[0].sku, name: nodes[0].name, description: expect.anything() });

    // Only ids went over the wire, never the text.
    const id = (name: string) => manifest.operations.find((op) => op.name === name)!.id;
    expect(sent).toEqual([
      { name: 'ProductListing', id: id('ProductListing'), query: false },
      { name: 'ProductBySku', id: id('ProductBySku'), query: false },
    ]);
  });

  it('lets a partner key run every manifest operation by id', async () => {
    const headers = { 'x-api-key': PARTNER_KEY };
    const listing = await post(url, { ...byId('ProductListing'), variables: { first: 5 } }, headers);
    expect(listing.body.errors).toBeUndefined();
    expect(listing.body.data.products.edges).toHaveLength(5);
    const skus: string[] = listing.body.data.products.edges.map((e: any) => e.node.sku);

    const product = await post(url, { ...byId('ProductBySku'), variables: { sku: skus[0] } }, headers);
    expect(product.body.errors).toBeUndefined();
    expect(product.body.data.product).toMatchObject({ sku: skus[0], name: expect.any(String), price: { currencyCode: expect.any(String) }, stock: { available: expect.any(Number) } });

    const stock = await post(url, { ...byId('StockBySkus'), variables: { skus: skus.slice(0, 3) } }, headers);
    expect(stock.body.errors).toBeUndefined();
    expect(stock.body.data.products.edges.map((e: any) => e.node.sku).sort()).toEqual(skus.slice(0, 3).sort());

    const categories = await post(url, byId('Categories'), headers);
    expect(categories.body.errors).toBeUndefined();
    expect(categories.body.data.categories.length).toBeGreaterThan(0);
  });

  it('refuses a partner anything else: ad-hoc text, an unknown id; and an unknown key outright', async () => {
    const adHoc = await post(url, { query: '{ categories { id } }' }, { 'x-api-key': PARTNER_KEY });
    expect(adHoc.status).toBe(400);
    expect(adHoc.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_IN_LIST');

    const unknownId = await post(url, { extensions: { persistedQuery: { version: 1, sha256Hash: sha256Hex('{ me { email } }') } } }, { 'x-api-key': PARTNER_KEY });
    expect(unknownId.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_IN_LIST');

    const unknownKey = await post(url, byId('Categories'), { 'x-api-key': 'not-a-partner-key' });
    expect(unknownKey.status).toBe(401);
    expect(unknownKey.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');

    // Clients without a key still send any query.
    expect((await graphqlOk(url, '{ categories { slug } }')).categories.length).toBeGreaterThan(0);
  });
});

describe('automatic persisted queries', () => {
  it('miss, register, hit — cached in Redis, so another replica hits too', async () => {
    const query = `{ products(first: 2) { edges { node { id name stock { available } } } } } # ${randomUUID()}`;
    const hash = sha256Hex(query);
    const extensions = { persistedQuery: { version: 1, sha256Hash: hash } };

    const miss = await post(url, { extensions });
    expect(miss.status).toBe(200);
    expect(miss.body.errors).toEqual([{ message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }]);

    const registered = await post(url, { query, extensions });
    expect(registered.body.errors).toBeUndefined();
    const redis = createRedisStore(process.env.SHOP_TEST_REDIS_URL!, { keyPrefix: prefix });
    stores.push(redis);
    expect(await redis.get(apqKey(hash))).toBe(query);

    const hit = await post(url, { extensions });
    expect(hit.body).toEqual(registered.body);
    const replica = await startRouter();
    expect((await post(replica, { extensions })).body).toEqual(registered.body);

    const mismatch = await post(url, { query: '{ categories { id } }', extensions });
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.errors[0].extensions.code).toBe('BAD_REQUEST');
  });
});

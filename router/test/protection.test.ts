import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHmac } from 'node:crypto';
import { once } from 'node:events';
import WebSocket from 'ws';
import type { SubgraphServer } from '@shop/subgraph-kit';
import { errorCodes, graphql, testRouterKey } from '@shop/testing';
import { composeSupergraph, createRouter, manifestOperations, sha256Hex, type Router, type RouterOptions } from '../src/index.js';
import { clientAddress } from '../src/request.js';
import { catalog, catalogSdl, json, keySet, logger, prices, pricesSdl, tokenFor } from './fixtures.js';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const claims = { sub: 'u1', role: 'ADMIN', typ: 'access', iss: 'shop-users', aud: 'shop', exp: Math.floor(Date.now() / 1000) + 600 };
const partnerQuery = 'query ItemNames($first: Int) { items(first: $first) { id name } }';
const partnerKey = 'partner-key-0123456789abcdef';
const partnerManifest = manifestOperations({
  format: 'apollo-persisted-query-manifest',
  version: 1,
  operations: [{ id: sha256Hex(partnerQuery), name: 'ItemNames', type: 'query', body: partnerQuery }],
});

describe('router protection over fixture subgraphs', () => {
  const servers: SubgraphServer[] = [catalog(), prices()];
  let supergraphSdl: string;
  const routers: Router[] = [];
  let url: string;
  let fetches = 0;

  async function start(options: Partial<RouterOptions> = {}) {
    const router = createRouter({ serviceKey: await testRouterKey(), supergraphSdl, logger, accessTokens: keySet, ...options });
    routers.push(router);
    return (await router.listen(0, '127.0.0.1')).url;
  }

  const post = (body: string | object, headers: Record<string, string> = {}, target = url) =>
    fetch(target, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  beforeAll(async () => {
    const [c, p] = await Promise.all(servers.map((s) => s.listen(0, '127.0.0.1')));
    supergraphSdl = composeSupergraph([
      { name: 'catalog', url: c!.url, typeDefs: catalogSdl },
      { name: 'prices', url: p!.url, typeDefs: pricesSdl },
    ]).supergraphSdl;
    url = await start({
      metricsPort: 0,
      onSubgraphFetch: () => void (fetches += 1),
      partnerApiKeys: [partnerKey],
      partnerManifest,
    });
  });

  afterAll(async () => {
    await Promise.all(routers.map((r) => r.stop()));
    await Promise.all(servers.map((s) => s.stop()));
  });

  it('refuses bad tokens with UNAUTHENTICATED before any subgraph is asked', async () => {
    const none = `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`;
    // The published public key used as an HMAC secret: the classic algorithm confusion.
    const hs256Body = `${b64({ alg: 'HS256', typ: 'JWT', kid: keySet.keys[0]!.kid })}.${b64(claims)}`;
    const hs256 = `${hs256Body}.${createHmac('sha256', JSON.stringify(keySet.keys[0])).update(hs256Body).digest('base64url')}`;
    fetches = 0;
    for (const token of ['garbage', none, hs256]) {
      const result = await graphql(url, '{ whoami }', {}, { token });
      expect(result.status).toBe(401);
      expect(errorCodes(result)).toEqual(['UNAUTHENTICATED']);
    }
    expect(fetches).toBe(0);
    const token = await tokenFor('u-9');
    expect((await graphql(url, '{ whoami }', {}, { token })).data).toEqual({ whoami: 'u-9' });
  });

  it('refuses deep, alias-heavy, costly, huge and malformed requests with coded errors, and stays up', async () => {
    fetches = 0;
    const deep = await graphql(url, `{ ${'items { '.repeat(99)}id${' }'.repeat(99)} }`);
    expect(deep.status).toBe(400);
    expect(deep.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'depth', max: 15 });

    const aliases = await graphql(url, `{ ${Array.from({ length: 2000 }, (_, i) => `a${i}: whoami`).join(' ')} }`);
    expect(aliases.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'aliases', actual: 2000 });

    const costly = await graphql(url, 'query($n: Int) { items(first: $n) { id name tags } }', { n: 2000 });
    expect(costly.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'cost' });
    expect(fetches).toBe(0);

    const huge = await post({ query: `{ whoami } # ${'x'.repeat(12 * 1024 * 1024)}` });
    expect(huge.status).toBe(413);
    expect((await json(huge)).errors[0].extensions.code).toBe('BAD_REQUEST');

    const malformed = await post('{"query": "{ whoami }"');
    expect(malformed.status).toBe(400);
    expect((await json(malformed)).errors[0]).toEqual({ message: 'Request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } });

    const health = await fetch(url.replace(/graphql$/, 'health'));
    expect(health.status).toBe(200);
    expect((await graphql(url, '{ items(first: 2) { id price } }')).data).toEqual({
      items: [
        { id: 'i1', price: '1.99' },
        { id: 'i2', price: '2.99' },
      ],
    });
  });

  it('runs HTTP batches up to the limit, each operation on its own', async () => {
    const ok = await post([{ query: '{ items(first: 1) { id } }' }, { query: '{ item(id: "i7") { name } }' }, { query: '{ nope }' }]);
    expect(ok.status).toBe(200);
    const [a, b, c] = await json(ok);
    expect(a).toEqual({ data: { items: [{ id: 'i1' }] } });
    expect(b).toEqual({ data: { item: { name: 'Item 7' } } });
    expect(c.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');

    const subscription = await post({ query: 'subscription { ticks }' });
    expect(subscription.status).toBe(400);
    expect((await json(subscription)).errors[0].message).toMatch(/WebSocket/);

    const tooMany = await post(Array.from({ length: 11 }, () => ({ query: '{ whoami }' })));
    expect(tooMany.status).toBe(400);
    expect((await json(tooMany)).errors[0].extensions.code).toBe('BAD_REQUEST');
  });

  it('speaks automatic persisted queries: miss, register, hit (POST and GET)', async () => {
    const query = '{ items(first: 2) { name price } }';
    const extensions = { persistedQuery: { version: 1, sha256Hash: sha256Hex(query) } };
    const miss = await post({ extensions });
    expect(miss.status).toBe(200);
    expect((await json(miss)).errors).toEqual([{ message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }]);

    const expected = { data: { items: [{ name: 'Item 1', price: '1.99' }, { name: 'Item 2', price: '2.99' }] } };
    expect(await json(await post({ query, extensions }))).toEqual(expected);
    expect(await json(await post({ extensions }))).toEqual(expected);
    const get = await fetch(`${url}?extensions=${encodeURIComponent(JSON.stringify(extensions))}`, {
      headers: { 'apollo-require-preflight': 'true' },
    });
    expect(await json(get)).toEqual(expected);

    const wrongHash = await post({ query: '{ whoami }', extensions });
    expect(wrongHash.status).toBe(400);
  });

  it('holds partner keys to the manifest, by id; unknown keys are UNAUTHENTICATED', async () => {
    const headers = { 'x-api-key': partnerKey };
    const byId = await post({ variables: { first: 2 }, extensions: { persistedQuery: { version: 1, sha256Hash: sha256Hex(partnerQuery) } } }, headers);
    const answered = await json(byId);
    expect(answered.data).toEqual({ items: [{ id: 'i1', name: 'Item 1' }, { id: 'i2', name: 'Item 2' }] });
    // A partner is told what it spent (test/partnerQuota.e2e.ts covers the quota itself).
    expect(answered.extensions.cost).toMatchObject({ requestedQueryCost: expect.any(Number), actualQueryCost: expect.any(Number) });

    const adHoc = await post({ query: '{ items { id price } }' }, headers);
    expect(adHoc.status).toBe(400);
    expect((await json(adHoc)).errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_IN_LIST');

    const unknown = await post({ query: '{ whoami }' }, { 'x-api-key': 'not-a-partner' });
    expect(unknown.status).toBe(401);
    expect((await json(unknown)).errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('rate limits per IP (ignoring a client-sent x-forwarded-for) and per API key, with Retry-After', async () => {
    const limited = await start({ rateLimitPerMinute: 3, partnerApiKeys: [partnerKey], partnerManifest });
    for (let i = 0; i < 3; i++) {
      expect((await post({ query: '{ whoami }' }, { 'x-forwarded-for': `10.0.0.${i}` }, limited)).status).toBe(200);
    }
    const refused = await post({ query: '{ whoami }' }, { 'x-forwarded-for': '10.9.9.9' }, limited);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    const body = await json(refused);
    expect(body.errors[0].extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfter: Number(refused.headers.get('retry-after')) });
    // The partner key has a bucket of its own.
    const partner = await post({ extensions: { persistedQuery: { version: 1, sha256Hash: sha256Hex(partnerQuery) } } }, { 'x-api-key': partnerKey }, limited);
    expect(partner.status).toBe(200);

    const behindProxy = await start({ rateLimitPerMinute: 1, trustProxy: true });
    expect((await post({ query: '{ whoami }' }, { 'x-forwarded-for': '10.1.1.1' }, behindProxy)).status).toBe(200);
    expect((await post({ query: '{ whoami }' }, { 'x-forwarded-for': '10.1.1.1' }, behindProxy)).status).toBe(429);
    // Entries left of the one the proxy appended are the client's own words: they pick no bucket.
    expect((await post({ query: '{ whoami }' }, { 'x-forwarded-for': '10.2.2.2, 10.1.1.1' }, behindProxy)).status).toBe(429);
    expect((await post({ query: '{ whoami }' }, { 'x-forwarded-for': '10.1.1.1, 10.3.3.3' }, behindProxy)).status).toBe(200);
  });

  it('keeps an APQ document only once it parsed, passed the limits and validated', async () => {
    const apq = (query: string | undefined, hashOf: string) =>
      post({ ...(query === undefined ? {} : { query }), extensions: { persistedQuery: { version: 1, sha256Hash: sha256Hex(hashOf) } } });
    const junk = '{ this is not graphql';
    const deep = `{ ${'items { '.repeat(40)}id${' }'.repeat(40)} }`;
    const invalid = '{ noSuchField }';
    expect((await json(await apq(junk, junk))).errors[0].extensions.code).toBe('GRAPHQL_PARSE_FAILED');
    expect((await json(await apq(deep, deep))).errors[0].extensions.code).toBe('QUERY_TOO_COMPLEX');
    expect((await json(await apq(invalid, invalid))).errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    for (const offered of [junk, deep, invalid]) {
      expect((await json(await apq(undefined, offered))).errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    }
    const good = '{ items(first: 1) { id } }';
    expect((await json(await apq(good, good))).data).toEqual({ items: [{ id: 'i1' }] });
    expect((await json(await apq(undefined, good))).data).toEqual({ items: [{ id: 'i1' }] });
  });

  it('closes a WebSocket whose message is larger than the body limit (1009) and stays up', async () => {
    const small = await start({ limits: { bodyLimitBytes: 4096 } });
    const socket = new WebSocket(small.replace(/^http/, 'ws'), 'graphql-transport-ws');
    await once(socket, 'open');
    // A 2 MB subscribe message was accepted and run before: now it never reaches the parser.
    socket.send(JSON.stringify({ type: 'connection_init', payload: { padding: 'x'.repeat(2 * 1024 * 1024) } }));
    const [code] = (await once(socket, 'close')) as [number];
    expect(code).toBe(1009);
    expect((await graphql(small, '{ whoami }')).data).toEqual({ whoami: null });
  });

  it('turns introspection off when asked (production)', async () => {
    const closed = await start({ introspection: false });
    const result = await graphql(closed, '{ __schema { queryType { name } } }');
    expect(errorCodes(result)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect((await graphql(url, '{ __schema { queryType { name } } }')).data).toEqual({ __schema: { queryType: { name: 'Query' } } });
  });

  it('exports Prometheus metrics on their own port only: operations by name, latency, subgraph fetches', async () => {
    await graphql(url, 'query ItemPage { items(first: 1) { id price } }');
    // The public port does not serve them: who are the admins, which operations run, how often.
    expect((await fetch(url.replace(/graphql$/, 'metrics'))).status).toBe(404);
    const response = await fetch(routers[0]!.metricsUrl!);
    expect(response.headers.get('content-type')).toMatch(/text\/plain/);
    const text = await response.text();
    expect(text).toMatch(/router_operations_total\{operation="ItemPage",outcome="ok"\} 1/);
    expect(text).toMatch(/router_operation_duration_seconds_bucket\{le="[^"]+",operation="ItemPage"\}/);
    expect(text).toMatch(/router_subgraph_fetch_duration_seconds_count\{subgraph="prices"\} \d+/);
    expect(text).toMatch(/router_requests_rejected_total\{reason="too_complex"\} [1-9]/);
    expect(text).toMatch(/router_websocket_connections 0/);
  });

  it('counts an operation answered with errors as an error in its metrics', async () => {
    // Nothing listens on port 9: prices is unavailable and its field comes back null with an error.
    const partial = await start({ subgraphUrls: { prices: 'http://127.0.0.1:9/graphql' }, metricsPort: 0 });
    const result = await graphql(partial, 'query PricedItem { items(first: 1) { id price } }');
    expect(errorCodes(result)).toEqual(['SUBGRAPH_UNAVAILABLE']);
    const text = await (await fetch(routers.at(-1)!.metricsUrl!)).text();
    expect(text).toMatch(/router_operations_total\{operation="PricedItem",outcome="error"\} 1/);
  });

  it('answers with partial data and a coded error naming the subgraph when one is down', async () => {
    await servers[1]!.stop();
    const result = await graphql(url, '{ items(first: 2) { name price } }');
    expect(result.status).toBe(200);
    expect(result.data).toEqual({ items: [{ name: 'Item 1', price: null }, { name: 'Item 2', price: null }] });
    expect(result.errors?.[0]?.extensions).toEqual({ code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'prices' });
    expect(JSON.stringify(result.errors)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|stack/);
    const health = await fetch(url.replace(/graphql$/, 'health'));
    expect(health.status).toBe(200);
    expect(await json(health)).toMatchObject({ status: 'degraded', subgraphs: { catalog: 'up', prices: 'down' } });
  });
});

describe('client address behind a proxy on this host', () => {
  it('takes the right-most x-forwarded-for entry no trusted proxy added, from a loopback peer only in loopback mode', () => {
    const request = (peer: string, forwarded?: string) =>
      ({ socket: { remoteAddress: peer }, headers: forwarded ? { 'x-forwarded-for': forwarded } : {} }) as never;
    expect(clientAddress(request('127.0.0.1', '203.0.113.7'), 'loopback')).toBe('203.0.113.7');
    expect(clientAddress(request('::ffff:127.0.0.1', 'chosen-by-the-client, 203.0.113.7'), 'loopback')).toBe('203.0.113.7');
    expect(clientAddress(request('198.51.100.4', '203.0.113.7'), 'loopback')).toBe('198.51.100.4');
    expect(clientAddress(request('127.0.0.1', '203.0.113.7'), false)).toBe('127.0.0.1');
    expect(clientAddress(request('198.51.100.4', '203.0.113.7'), true)).toBe('203.0.113.7');
    // Two proxies (a load balancer, then nginx): the second appended the first's address.
    expect(clientAddress(request('198.51.100.4', 'spoofed, 203.0.113.7, 10.0.0.2'), 2)).toBe('203.0.113.7');
    expect(clientAddress(request('198.51.100.4', '203.0.113.7'), 2)).toBe('203.0.113.7');
    expect(clientAddress(request('198.51.100.4'), true)).toBe('198.51.100.4');
  });
});

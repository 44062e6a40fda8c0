import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { createHash } from 'node:crypto';
import { ApolloClient, CombinedGraphQLErrors, HttpLink, InMemoryCache, gql, type ApolloLink } from '@apollo/client';
import { Defer20220824Handler } from '@apollo/client/incremental';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { Client as UrqlClient, fetchExchange } from '@urql/core';
import { ClientError, GraphQLClient } from 'graphql-request';
import { auditServer } from 'graphql-http';
import type { SubgraphServer } from '@shop/subgraph-kit';
import { createRouter, manifestOperations, sha256Hex, type Router, type RouterOptions } from '../src/index.js';
import { FAKE_DATE_ONLY, testRouterKey } from '@shop/testing';
import { reviewsGate, startDeferSubgraphs } from './deferFixtures.js';
import { keySet, logger, startCatalogAndPrices } from './fixtures.js';

// The router driven by the client libraries people use, unchanged: what each of them shows a
// developer when the router refuses a request itself (limits, rate limits, keys, CSRF).
const partnerKey = 'partner-key-clients-0123456789';
const partnerQuery = 'query ItemNames { items(first: 2) { id name } }';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('the router with real GraphQL clients', () => {
  let servers: SubgraphServer[] = [];
  const routers: Router[] = [];
  let supergraphSdl: string;
  let url: string;

  async function start(options: Partial<RouterOptions> = {}) {
    const router = createRouter({ serviceKey: await testRouterKey(), supergraphSdl, logger, accessTokens: keySet, limits: { maxCost: 20 }, ...options });
    routers.push(router);
    return (await router.listen(0, '127.0.0.1')).url;
  }

  const apollo = (link: ApolloLink) => new ApolloClient({ link, cache: new InMemoryCache() });

  /** The `extensions.code`s an Apollo Client query failed with (it throws CombinedGraphQLErrors). */
  async function apolloErrorCodes(client: ApolloClient, query: string): Promise<unknown[]> {
    try {
      await client.query({ query: gql(query), fetchPolicy: 'no-cache' });
    } catch (error) {
      if (CombinedGraphQLErrors.is(error)) return error.errors.map((e) => e.extensions?.code);
      throw error;
    }
    throw new Error('the query did not fail');
  }

  beforeAll(async () => {
    ({ supergraphSdl, servers } = await startCatalogAndPrices());
    url = await start();
  });

  afterAll(async () => {
    await Promise.all(routers.map((r) => r.stop()));
    await Promise.all(servers.map((s) => s.stop()));
  });

  describe('Apollo Client 4 (HttpLink)', () => {
    it('reads extensions.code of QUERY_TOO_COMPLEX and RATE_LIMITED', async () => {
      // Rate limits read the time from Date: only it is faked, servers keep real timers.
      jest.useFakeTimers({ doNotFake: [...FAKE_DATE_ONLY.doNotFake], now: Date.now() });
      const limited = await start({ rateLimitPerMinute: 2 });
      const client = apollo(new HttpLink({ uri: limited }));

      expect(await apolloErrorCodes(client, '{ items(first: 50) { id name } }')).toEqual(['QUERY_TOO_COMPLEX']);
      expect(await apolloErrorCodes(client, '{ items(first: 1) { id } }').catch(() => 'ok')).toBe('ok');
      expect(await apolloErrorCodes(client, '{ items(first: 1) { id } }')).toEqual(['RATE_LIMITED']);
      jest.setSystemTime(Date.now() + 60_000);
      const { data } = await client.query({ query: gql('{ items(first: 1) { id } }'), fetchPolicy: 'no-cache' });
      expect(data).toEqual({ items: [{ __typename: 'Item', id: 'i1' }] });
      jest.useRealTimers();
    });

    it('reads UNAUTHENTICATED for a bad token or an unknown API key, and PERSISTED_QUERY_NOT_IN_LIST for a partner', async () => {
      const router = await start({
        partnerApiKeys: [partnerKey],
        partnerManifest: manifestOperations({
          format: 'apollo-persisted-query-manifest',
          version: 1,
          operations: [{ id: sha256Hex(partnerQuery), name: 'ItemNames', type: 'query', body: partnerQuery }],
        }),
      });
      const withHeaders = (headers: Record<string, string>) => apollo(new HttpLink({ uri: router, headers }));
      expect(await apolloErrorCodes(withHeaders({ authorization: 'Bearer not-a-jwt' }), '{ whoami }')).toEqual(['UNAUTHENTICATED']);
      expect(await apolloErrorCodes(withHeaders({ 'x-api-key': 'nobody' }), '{ whoami }')).toEqual(['UNAUTHENTICATED']);
      expect(await apolloErrorCodes(withHeaders({ 'x-api-key': partnerKey }), '{ whoami }')).toEqual(['PERSISTED_QUERY_NOT_IN_LIST']);
    });

    it('is told to use the WebSocket when it subscribes over HTTP', async () => {
      const client = apollo(new HttpLink({ uri: url }));
      const failure = await new Promise<unknown>((resolve) => {
        client.subscribe({ query: gql('subscription { whoami }') }).subscribe({ next: (result) => resolve(result.error), error: resolve });
      });
      expect(CombinedGraphQLErrors.is(failure) && failure.errors.map((e) => [e.extensions?.code, e.message])).toEqual([
        ['BAD_REQUEST', 'Subscriptions are served over WebSocket (graphql-transport-ws) on this same path'],
      ]);
    });

    it('registers and reuses queries with the APQ link, by POST and by GET', async () => {
      const sent: Array<{ method: string; query: boolean }> = [];
      const recordingFetch: typeof fetch = async (input, init) => {
        const target = new URL(String(input));
        const body = init?.body ? (JSON.parse(String(init.body)) as { query?: string }) : null;
        sent.push({ method: init?.method ?? 'GET', query: Boolean(body?.query ?? target.searchParams.get('query')) });
        return fetch(input, init);
      };
      const query = `query ApqItems { items(first: 2) { id price } } # ${Date.now()}`;
      const link = (useGETForHashedQueries: boolean) =>
        new PersistedQueryLink({ sha256, useGETForHashedQueries }).concat(new HttpLink({ uri: url, fetch: recordingFetch }));

      const first = await apollo(link(false)).query({ query: gql(query) });
      expect(first.data).toEqual({ items: [{ __typename: 'Item', id: 'i1', price: '1.99' }, { __typename: 'Item', id: 'i2', price: '2.99' }] });
      expect(sent).toEqual([{ method: 'POST', query: false }, { method: 'POST', query: true }]);

      sent.length = 0;
      const again = await apollo(link(true)).query({ query: gql(query) });
      expect(again.data).toEqual(first.data);
      // A hit by GET: Apollo Client sends a content-type, so CSRF prevention lets it through.
      expect(sent).toEqual([{ method: 'GET', query: false }]);
    });

    it('@defer: a product page shows the product first, and its reviews when a later part brings them', async () => {
      const gate = reviewsGate();
      const page = await startDeferSubgraphs(gate);
      servers.push(...page.servers);
      const client = new ApolloClient({ link: new HttpLink({ uri: await start({ supergraphSdl: page.supergraphSdl }) }), cache: new InMemoryCache(), incrementalHandler: new Defer20220824Handler() });
      // The reviews subgraph holds its answer until the client has shown the product.
      gate.hold();
      const seen: Array<{ dataState: string; data: unknown }> = [];
      let shownProduct: () => void = () => undefined;
      const productShown = new Promise<void>((resolve) => (shownProduct = resolve));
      const complete = new Promise<void>((resolve, reject) => {
        client
          .watchQuery({ query: gql('query Page($id: ID!) { product(id: $id) { id name ... @defer { reviews { id body } } } }'), variables: { id: 'p1' } })
          .subscribe({
            next: (result) => {
              seen.push({ dataState: result.dataState, data: result.data });
              if (result.dataState === 'streaming') shownProduct();
              if (result.dataState === 'complete') resolve();
            },
            error: reject,
          });
      });
      await productShown;
      expect(seen.at(-1)).toEqual({ dataState: 'streaming', data: { product: { __typename: 'Product', id: 'p1', name: 'Kettle' } } });
      gate.open();
      await complete;
      expect(seen.at(-1)!.data).toEqual({
        product: { __typename: 'Product', id: 'p1', name: 'Kettle', reviews: [{ __typename: 'Review', id: 'r1', body: 'Boils fast' }, { __typename: 'Review', id: 'r2', body: 'Loud' }] },
      });
    });
  });

  describe('urql', () => {
    const items = '{ items(first: 1) { id name } }';

    it('meets CSRF prevention with its default GET and reads why; preflight header or POST works', async () => {
      const plain = new UrqlClient({ url, exchanges: [fetchExchange] });
      const refused = await plain.query(items, {}).toPromise();
      expect(refused.data).toBeUndefined();
      expect(refused.error?.graphQLErrors[0]?.extensions.code).toBe('BAD_REQUEST');
      expect(refused.error?.graphQLErrors[0]?.message).toMatch(/Cross-Site Request Forgery.*apollo-require-preflight/s);

      const preflighted = new UrqlClient({ url, exchanges: [fetchExchange], fetchOptions: { headers: { 'apollo-require-preflight': 'true' } } });
      expect((await preflighted.query(items, {}).toPromise()).data).toEqual({ items: [{ id: 'i1', name: 'Item 1' }] });
      const posting = new UrqlClient({ url, exchanges: [fetchExchange], preferGetMethod: false });
      expect((await posting.query(items, {}).toPromise()).data).toEqual({ items: [{ id: 'i1', name: 'Item 1' }] });
    });

    it('reads the code of a router refusal', async () => {
      const client = new UrqlClient({ url, exchanges: [fetchExchange], preferGetMethod: false });
      const result = await client.query('{ items(first: 50) { id } }', {}).toPromise();
      expect(result.error?.graphQLErrors.map((e) => e.extensions.code)).toEqual(['QUERY_TOO_COMPLEX']);
    });
  });

  describe('graphql-request', () => {
    it('gets data, and a ClientError carrying the status and the coded error', async () => {
      const client = new GraphQLClient(url);
      expect(await client.request('{ items(first: 1) { id } }')).toEqual({ items: [{ id: 'i1' }] });
      const error = await client.request('{ items(first: 50) { id } }').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ClientError);
      const { response } = error as ClientError;
      expect(response.status).toBe(400);
      expect(response.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COMPLEX');
    });
  });

  describe('content negotiation of the router’s own refusals', () => {
    const tooComplex = JSON.stringify({ query: '{ items(first: 50) { id } }' });
    const post = (accept: string | null, body = tooComplex) =>
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(accept ? { accept } : {}) }, body });

    it('answers in the media type the client ranks first, graphql-response+json on a tie', async () => {
      for (const [accept, type, status] of [
        ['application/graphql-response+json', 'application/graphql-response+json', 400],
        ['application/graphql-response+json, application/json;q=0.9', 'application/graphql-response+json', 400],
        ['*/*', 'application/graphql-response+json', 400],
        [null, 'application/graphql-response+json', 400],
        // Legacy clients trust only a 200 body to be GraphQL: a refused well-formed request is 200.
        ['application/json', 'application/json', 200],
        ['application/json, application/graphql-response+json;q=0.5', 'application/json', 200],
      ] as const) {
        const response = await post(accept);
        expect([accept, response.status, response.headers.get('content-type')]).toEqual([accept, status, `${type}; charset=utf-8`]);
        expect(await response.json()).toEqual({
          errors: [{ message: expect.any(String), extensions: { code: 'QUERY_TOO_COMPLEX', limit: 'cost', max: 20, actual: 51 } }],
        });
      }
    });

    it('keeps a 4xx for requests that are not GraphQL at all, and 406 for a client that takes neither type', async () => {
      const broken = await post('application/json', '{"query": ');
      expect([broken.status, broken.headers.get('content-type')]).toEqual([400, 'application/json; charset=utf-8']);
      expect(((await broken.json()) as any).errors[0].extensions.code).toBe('BAD_REQUEST');

      const html = await post('text/html');
      expect(html.status).toBe(406);
      expect(((await html.json()) as any).errors[0].extensions.code).toBe('BAD_REQUEST');
    });

    it('answers accepted operations in the same media type as its refusals', async () => {
      const ok = await post('*/*', JSON.stringify({ query: '{ items(first: 1) { id } }' }));
      expect([ok.status, ok.headers.get('content-type')]).toEqual([200, 'application/graphql-response+json; charset=utf-8']);
      const legacy = await post('application/json', JSON.stringify({ query: '{ items(first: 1) { id } }' }));
      expect(legacy.headers.get('content-type')).toBe('application/json; charset=utf-8');
    });
  });

  it('passes every MUST of the graphql-http audit (GraphQL over HTTP)', async () => {
    const results = await auditServer({ url, fetchFn: fetch });
    const failed = results.filter((result) => result.name.startsWith('MUST') && result.status !== 'ok');
    expect(failed.map((result) => `${result.name}: ${'reason' in result ? result.reason : ''}`)).toEqual([]);
    expect(results.filter((result) => result.name.startsWith('MUST')).length).toBeGreaterThan(10);
  });
});

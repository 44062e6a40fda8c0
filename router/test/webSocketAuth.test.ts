import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ApolloClient, InMemoryCache, gql } from '@apollo/client';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { parse } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import {
  channelIterator,
  createSubgraphServer,
  publishEvent,
  type RequestBase,
  type SubgraphServer,
} from '@shop/subgraph-kit';
import { composeSupergraph, createRouter, type Router } from '../src/index.js';
import { countingStore, keySet, logger, manualClock, tokenFor } from './fixtures.js';
import { TEST_INTERNAL_CALLS, testRouterKey, until } from '@shop/testing';

// WebSocket authentication the way client libraries send it, and what happens when the access
// token of an open socket expires (a manual clock moves time; nothing sleeps).
const feedSdl = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
  type Tick { n: Int! viewer: String }
  type Query { whoami: String }
  type Subscription { ticked: Tick! }
`);

const { kv, listening } = countingStore();

function feed(): SubgraphServer {
  return createSubgraphServer<RequestBase>({ internalCalls: TEST_INTERNAL_CALLS,
    name: 'feed',
    typeDefs: feedSdl,
    accessTokens: keySet,
    logger,
    context: (base) => base,
    resolvers: {
      Query: { whoami: (_: unknown, __: unknown, ctx: RequestBase) => ctx.caller?.userId ?? null },
      Subscription: {
        ticked: {
          subscribe: () => channelIterator<{ n: number }>(kv, 'ticks'),
          resolve: (event: { n: number }, _: unknown, ctx: RequestBase) => ({ n: event.n, viewer: ctx.caller?.userId ?? null }),
        },
      },
    } as never,
  });
}

describe('WebSocket authentication', () => {
  const server = feed();
  const clock = manualClock();
  const clients: Client[] = [];
  let router: Router;
  let wsUrl: string;

  const token = (userId: string, ttlSeconds: number) => tokenFor(userId, 'CUSTOMER', { ttlSeconds });

  type ClientOptions = Parameters<typeof createClient>[0];
  function client(connectionParams: ClientOptions['connectionParams'], extra: Partial<ClientOptions> = {}) {
    const c = createClient({ url: wsUrl, webSocketImpl: WebSocket, connectionParams, retryAttempts: 0, ...extra });
    clients.push(c);
    return c;
  }

  function whoami(c: Client): Promise<unknown> {
    return new Promise((resolve, reject) => {
      let result: unknown;
      c.subscribe({ query: '{ whoami }' }, { next: (value) => void (result = value), error: reject, complete: () => resolve(result) });
    });
  }

  beforeAll(async () => {
    const { url } = await server.listen(0, '127.0.0.1');
    const { supergraphSdl } = composeSupergraph([{ name: 'feed', url, typeDefs: feedSdl }]);
    router = createRouter({ serviceKey: await testRouterKey(), supergraphSdl, logger, accessTokens: keySet, clock });
    wsUrl = (await router.listen(0, '127.0.0.1')).url.replace(/^http/, 'ws');
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await router.stop();
    await server.stop();
    await kv.close();
  });

  it('takes the token from connectionParams as authorization, Authorization or headers.{Authorization,authorization}', async () => {
    const bearer = `Bearer ${await token('ada', 600)}`;
    for (const params of [{ authorization: bearer }, { Authorization: bearer }, { headers: { Authorization: bearer } }, { headers: { authorization: bearer } }]) {
      expect([params, await whoami(client(params))]).toEqual([params, { data: { whoami: 'ada' } }]);
    }
    // A bad token in the headers form is refused like any other.
    await expect(whoami(client({ headers: { Authorization: 'Bearer nope' } }))).rejects.toEqual([
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'UNAUTHENTICATED' }) }),
    ]);
  });

  it('closes the socket with 4401 when the access token expires; the client subscribes again with a fresh token', async () => {
    let issued = 0;
    let expiresAt = 0;
    const closes: number[] = [];
    // graphql-ws calls connectionParams for every new socket: the place to hand over a fresh token.
    const wsClient = client(
      async () => {
        issued += 1;
        // Signed by the real clock while the router's has moved on: the fresh one lives longer.
        const jwt = await token(`bob-${issued}`, issued === 1 ? 60 : 600);
        expiresAt = (JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()) as { exp: number }).exp * 1000;
        return { headers: { Authorization: `Bearer ${jwt}` } };
      },
      { on: { closed: (event) => void closes.push((event as { code: number }).code) } },
    );
    const apollo = new ApolloClient({ link: new GraphQLWsLink(wsClient), cache: new InMemoryCache() });
    const received: Array<{ n: number; viewer: string | null }> = [];
    const failures: unknown[] = [];
    const subscribe = () =>
      apollo.subscribe<{ ticked: { n: number; viewer: string | null } }>({ query: gql('subscription { ticked { n viewer } }') }).subscribe({
        next: (result) => {
          if (result.data) received.push({ n: result.data.ticked.n, viewer: result.data.ticked.viewer });
          if (result.error) failures.push(result.error);
        },
        error: (error) => void failures.push(error),
      });

    subscribe();
    await until(() => listening() === 1, 'the first subscription');
    await publishEvent(kv, 'ticks', { n: 1 });
    await until(() => received.length === 1, 'the first tick');

    clock.advance(expiresAt - clock.now() - 1);
    await publishEvent(kv, 'ticks', { n: 2 });
    await until(() => received.length === 2, 'a tick just before expiry');
    expect(closes).toEqual([]);

    clock.advance(1);
    await until(() => closes.length === 1 && failures.length === 1 && listening() === 0, 'the close at expiry');
    expect(closes).toEqual([4401]);
    // What GraphQLWsLink makes of the close event: the cue to subscribe again.
    expect(failures).toEqual([new Error('Socket closed with event 4401 Access token expired')]);

    subscribe();
    await until(() => listening() === 1, 'the subscription on a new socket');
    await publishEvent(kv, 'ticks', { n: 3 });
    await until(() => received.length === 3, 'a tick with the fresh token');
    expect(received).toEqual([
      { n: 1, viewer: 'bob-1' },
      { n: 2, viewer: 'bob-1' },
      { n: 3, viewer: 'bob-2' },
    ]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { channelIterator, createLogger, createSubgraphServer, publishEvent, type RequestBase, type SubgraphServer } from '@shop/subgraph-kit';
import { TEST_INTERNAL_CALLS, testRouterKey, until } from '@shop/testing';
import { composeSupergraph, createRouter, type Router } from '../src/index.js';
import { countingStore, keySet } from './fixtures.js';

// A subscriber that reads too slowly is told so with a coded error after the events it was
// sent, instead of silently losing the oldest: it knows to subscribe again (resuming `after`).
const logger = createLogger({ service: 'test', level: 'silent' });
const feedSdl = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
  type Query { ping: Boolean }
  type Subscription { posted: Post! }
  type Post { n: Int! body: String! }
`);
const { kv, listening } = countingStore();
// Big events fill the socket buffers between the router and a client that stopped reading within
// a few events; after that, the router's own buffer of 3 overflows.
const BODY = 'x'.repeat(512 * 1024);
// About 12 of them fit in the sockets' buffers on Linux loopback; 40 overflow with a wide margin.
const EVENTS = 40;

let feed: SubgraphServer;
let router: Router;
let wsUrl: string;
const clients: Client[] = [];

beforeAll(async () => {
  feed = createSubgraphServer<RequestBase>({
    internalCalls: TEST_INTERNAL_CALLS,
    name: 'feed',
    typeDefs: feedSdl,
    accessTokens: keySet,
    logger,
    context: (base) => base,
    resolvers: {
      Query: { ping: () => true },
      Subscription: { posted: { subscribe: () => channelIterator(kv, 'posts', { maxBuffered: EVENTS }), resolve: (post: unknown) => post } },
    } as never,
  });
  const { url } = await feed.listen(0, '127.0.0.1');
  const { supergraphSdl } = composeSupergraph([{ name: 'feed', url, typeDefs: feedSdl }]);
  router = createRouter({ serviceKey: await testRouterKey(), supergraphSdl, logger, accessTokens: keySet, subscriptionBuffer: 3 });
  wsUrl = (await router.listen(0, '127.0.0.1')).url.replace(/^http/, 'ws');
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await router?.stop();
  await feed?.stop();
  await kv.close();
});

describe('a subscriber that falls behind', () => {
  it('gets every event it was sent, in order, then SUBSCRIPTION_OVERFLOW, never a gap', async () => {
    const sockets: WebSocket[] = [];
    class Tracked extends WebSocket {
      constructor(address: string, protocols?: string | string[]) {
        super(address, protocols);
        sockets.push(this);
      }
    }
    const client = createClient({ url: wsUrl, webSocketImpl: Tracked, retryAttempts: 0 });
    clients.push(client);
    const received: number[] = [];
    let failure: any = null;
    client.subscribe(
      { query: 'subscription { posted { n body } }' },
      { next: (result) => void received.push((result.data as any).posted.n), error: (error) => void (failure = error), complete: () => undefined },
    );
    await until(async () => router.subscriptionStats().upstreamSubscriptions === 1 && listening() === 1, 'the upstream subscription');

    // The client stops reading; events keep coming until the router gives up on it.
    sockets[0]!.pause();
    for (let n = 1; n <= EVENTS; n += 1) await publishEvent(kv, 'posts', { n, body: BODY });
    await until(async () => router.subscriptionStats().upstreamSubscriptions === 0, 'the router to end the subscription', 90_000);

    sockets[0]!.resume();
    await until(async () => failure !== null, 'the overflow error', 90_000);
    expect(failure[0].extensions).toEqual({ code: 'SUBSCRIPTION_OVERFLOW', maxBuffered: 3 });
    expect(received.length).toBeGreaterThan(0);
    expect(received.length).toBeLessThan(EVENTS);
    expect(received).toEqual(Array.from({ length: received.length }, (_, i) => i + 1));
  }, 200_000);
});

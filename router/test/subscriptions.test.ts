import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import {
  channelIterator,
  createLogger,
  createSubgraphServer,
  publishEvent,
  requireCaller,
  type RequestBase,
  type SubgraphServer,
} from '@shop/subgraph-kit';
import { composeSupergraph, createRouter, type Router, type SubgraphFetchEvent } from '../src/index.js';
import { countingStore, keySet, tokenFor } from './fixtures.js';
import { eventually, TEST_INTERNAL_CALLS, testRouterKey, until } from '@shop/testing';

const logger = createLogger({ service: 'test', level: 'silent' });

// "accounts" owns Account; "notes" owns Note and the subscriptions, and only knows Account's key.
const accountsSdl = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
  type Account @key(fields: "id") { id: ID! handle: String! }
  type Query { account(id: ID!): Account }
`);
const notesSdl = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
  type Account @key(fields: "id", resolvable: false) { id: ID! }
  type Note { id: ID! text: String! author: Account! mentions: [Account!]! }
  type Query { noteCount: Int! }
  type Subscription { noteAdded(authorId: ID): Note!  myNotes: Note! }
`);

interface NoteEvent {
  id: string;
  text: string;
  authorId: string;
  mentions: string[];
}

const entityBatches: string[][] = [];
// Counts live channel subscriptions, so a test publishes only once the subgraph listens.
const { kv, listening } = countingStore();

function accounts() {
  return createSubgraphServer<RequestBase>({ internalCalls: TEST_INTERNAL_CALLS,
    name: 'accounts',
    typeDefs: accountsSdl,
    accessTokens: keySet,
    logger,
    context: (base) => base,
    resolvers: {
      Query: { account: (_: unknown, args: { id: string }) => ({ id: args.id, handle: `@${args.id}` }) },
      Account: {
        __resolveReference: (ref: { id: string }) => {
          entityBatches.at(-1)?.push(ref.id);
          return { id: ref.id, handle: `@${ref.id}` };
        },
      },
    } as never,
  });
}

function notes() {
  const toNote = (event: NoteEvent) => ({
    id: event.id,
    text: event.text,
    author: { __typename: 'Account', id: event.authorId },
    mentions: event.mentions.map((id) => ({ __typename: 'Account', id })),
  });
  return createSubgraphServer<RequestBase>({ internalCalls: TEST_INTERNAL_CALLS,
    name: 'notes',
    typeDefs: notesSdl,
    accessTokens: keySet,
    logger,
    context: (base) => base,
    resolvers: {
      Query: { noteCount: () => 0 },
      Subscription: {
        noteAdded: {
          subscribe: (_: unknown, args: { authorId?: string }) =>
            channelIterator<NoteEvent>(kv, 'notes', { filter: (e) => !args.authorId || e.authorId === args.authorId }),
          resolve: toNote,
        },
        myNotes: {
          subscribe: (_: unknown, __: unknown, ctx: RequestBase) => {
            const caller = requireCaller(ctx);
            return channelIterator<NoteEvent>(kv, 'notes', { filter: (e) => e.authorId === caller.userId });
          },
          resolve: toNote,
        },
      },
    } as never,
  });
}

describe('federated subscriptions through the router', () => {
  const accountsServer = accounts();
  let notesServer: SubgraphServer = notes();
  let notesPort: number;
  let router: Router;
  let wsUrl: string;
  let httpUrl: string;
  const fetches: SubgraphFetchEvent[] = [];
  const clients: Client[] = [];

  beforeAll(async () => {
    const a = await accountsServer.listen(0, '127.0.0.1');
    const n = await notesServer.listen(0, '127.0.0.1');
    notesPort = n.port;
    const { supergraphSdl } = composeSupergraph([
      { name: 'accounts', url: a.url, typeDefs: accountsSdl },
      { name: 'notes', url: n.url, typeDefs: notesSdl },
    ]);
    router = createRouter({ serviceKey: await testRouterKey(),
      supergraphSdl,
      logger,
      accessTokens: keySet,
      onSubgraphFetch: (event) => fetches.push(event),
      subscriptionRetry: { attempts: 3, delayMs: 100, maxDelayMs: 200 },
      metricsPort: 0,
    });
    httpUrl = (await router.listen(0, '127.0.0.1')).url;
    wsUrl = httpUrl.replace(/^http/, 'ws');
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await router.stop();
    await Promise.all([accountsServer.stop(), notesServer.stop()]);
    await kv.close();
  });

  function client(connectionParams: Record<string, unknown> = {}): Client {
    const c = createClient({ url: wsUrl, webSocketImpl: WebSocket, connectionParams, retryAttempts: 0 });
    clients.push(c);
    return c;
  }

  /** Subscribes and collects results until `count` arrived (or the subscription ended). */
  function collect(c: Client, query: string, variables: Record<string, unknown> = {}) {
    const results: any[] = [];
    let failure: unknown = null;
    let done = false;
    const dispose = c.subscribe(
      { query, variables },
      {
        next: (value) => void results.push(value),
        error: (error) => {
          failure = error;
          done = true;
        },
        complete: () => void (done = true),
      },
    );
    return {
      results,
      get failure() {
        return failure;
      },
      get done() {
        return done;
      },
      dispose,
      /** The results once `count` arrived or the subscription ended (as they are, after `timeoutMs`). */
      until: (count: number, timeoutMs = 3000) => eventually(async () => results, () => results.length >= count || done, timeoutMs),
    };
  }

  /** Waits until the subscriptions of earlier tests are gone, upstream too. */
  async function settled() {
    await until(() => router.subscriptionStats().upstreamSubscriptions === 0 && notesServer.openWebSockets() === 0, 'earlier subscriptions to end');
  }

  /** Waits until the router holds `subscriptions` upstream subscriptions and the subgraph listens. */
  async function upstreamReady(subscriptions: number) {
    await until(() => router.subscriptionStats().upstreamSubscriptions >= subscriptions, 'upstream subscriptions');
    // The subgraph subscribes to its channel right after the router's subscribe message arrives.
    await until(() => listening() >= subscriptions, 'the subgraph to listen');
  }

  it('completes each event with fields from another subgraph, in one batched entity fetch', async () => {
    await settled();
    const sub = collect(client(), 'subscription { noteAdded { id text mentions { id handle } } }');
    await upstreamReady(1);
    fetches.length = 0;
    entityBatches.push([]);
    await publishEvent(kv, 'notes', { id: 'n1', text: 'hello', authorId: 'ada', mentions: ['bob', 'cy', 'dee'] } satisfies NoteEvent);
    const [first] = await sub.until(1);
    expect(first).toEqual({
      data: {
        noteAdded: { id: 'n1', text: 'hello', mentions: [{ id: 'bob', handle: '@bob' }, { id: 'cy', handle: '@cy' }, { id: 'dee', handle: '@dee' }] },
      },
    });
    // Three accounts of one event: one _entities fetch to accounts, nothing else over HTTP.
    expect(fetches.map((f) => f.service)).toEqual(['accounts']);
    expect(entityBatches.at(-1)).toEqual(['bob', 'cy', 'dee']);
    sub.dispose();
  });

  it('passes arguments through and shares one upstream subscription between identical ones', async () => {
    await settled();
    const query = 'subscription($author: ID) { noteAdded(authorId: $author) { text } }';
    const a = collect(client(), query, { author: 'ada' });
    const b = collect(client(), query, { author: 'ada' });
    await upstreamReady(1);
    // Both client subscriptions are in place (the second joined the first's upstream, or opened its own).
    await until(async () => /^router_subscriptions_active 2$/m.test(await (await fetch(router.metricsUrl!)).text()), 'both subscriptions');
    expect(router.subscriptionStats().upstreamSubscriptions).toBe(1);
    await publishEvent(kv, 'notes', { id: 'n2', text: 'from bob', authorId: 'bob', mentions: [] } satisfies NoteEvent);
    await publishEvent(kv, 'notes', { id: 'n3', text: 'from ada', authorId: 'ada', mentions: [] } satisfies NoteEvent);
    expect(await a.until(1)).toEqual([{ data: { noteAdded: { text: 'from ada' } } }]);
    expect(await b.until(1)).toEqual([{ data: { noteAdded: { text: 'from ada' } } }]);
    a.dispose();
    b.dispose();
  });

  it('ends the upstream subscription and its socket when the client leaves', async () => {
    await settled();
    const before = { subgraph: notesServer.openWebSockets(), router: router.subscriptionStats() };
    const c = client();
    const sub = collect(c, 'subscription { noteAdded { id } }');
    await upstreamReady(1);
    expect(notesServer.openWebSockets()).toBe(before.subgraph + 1);
    await c.dispose();
    await until(() => notesServer.openWebSockets() === before.subgraph, 'the upstream socket to close');
    expect(notesServer.openWebSockets()).toBe(before.subgraph);
    expect(router.subscriptionStats()).toMatchObject({ upstreamSubscriptions: 0, upstreamConnections: 0 });
    const metrics = await (await fetch(router.metricsUrl!)).text();
    expect(metrics).toMatch(/router_upstream_websockets\{subgraph="notes"\} 0/);
    expect(metrics).toMatch(/router_subscriptions_active 0/);
    expect(sub.failure).toBeNull();
  });

  it('authenticates the connection: a bad token is refused with UNAUTHENTICATED, a good one reaches the subgraph', async () => {
    await settled();
    const bad = collect(client({ authorization: 'Bearer not-a-token' }), 'subscription { myNotes { id } }');
    await bad.until(1);
    expect(bad.failure).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'UNAUTHENTICATED' }) })]);

    const anonymous = collect(client(), 'subscription { myNotes { id } }');
    await anonymous.until(1);
    expect(anonymous.results[0]?.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', serviceName: 'notes' });

    const token = await tokenFor('ada');
    const mine = collect(client({ authorization: `Bearer ${token}` }), 'subscription { myNotes { text author { handle } } }');
    await upstreamReady(1);
    await publishEvent(kv, 'notes', { id: 'n4', text: 'not mine', authorId: 'bob', mentions: [] } satisfies NoteEvent);
    await publishEvent(kv, 'notes', { id: 'n5', text: 'mine', authorId: 'ada', mentions: [] } satisfies NoteEvent);
    expect(await mine.until(1)).toEqual([{ data: { myNotes: { text: 'mine', author: { handle: '@ada' } } } }]);
    mine.dispose();
  });

  it('runs queries over the socket too, with the same limits as HTTP', async () => {
    const c = client();
    const ok = collect(c, 'query { account(id: "zoe") { handle } }');
    expect(await ok.until(1)).toEqual([{ data: { account: { handle: '@zoe' } } }]);
    const tooDeep = collect(c, `{ ${'a { '.repeat(20)}b${' }'.repeat(20)} }`);
    await tooDeep.until(1);
    expect(tooDeep.failure).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'QUERY_TOO_COMPLEX', limit: 'depth' }) })]);
  });

  it('re-subscribes after the subgraph restarts, and tells clients with a coded error when it stays down', async () => {
    await settled();
    const sub = collect(client(), 'subscription { noteAdded { text author { handle } } }');
    await upstreamReady(1);
    await notesServer.stop();
    await until(() => listening() === 0, 'the stopped subgraph to stop listening');
    notesServer = notes();
    await notesServer.listen(notesPort, '127.0.0.1');
    await until(() => notesServer.openWebSockets() > 0, 'the router to reconnect');
    await until(() => listening() > 0, 'the restarted subgraph to listen');
    await publishEvent(kv, 'notes', { id: 'n6', text: 'after restart', authorId: 'ada', mentions: [] } satisfies NoteEvent);
    expect(await sub.until(1)).toEqual([{ data: { noteAdded: { text: 'after restart', author: { handle: '@ada' } } } }]);

    await notesServer.stop();
    await sub.until(2, 5000);
    expect(sub.results[1]?.errors?.[0]).toMatchObject({ extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'notes' } });
    expect(sub.done).toBe(true);
    expect(router.subscriptionStats()).toMatchObject({ upstreamSubscriptions: 0, upstreamConnections: 0 });

    // The router itself stays up and answers queries.
    const health = await fetch(httpUrl.replace(/graphql$/, 'health'));
    expect(health.status).toBe(200);
    notesServer = notes();
    await notesServer.listen(notesPort, '127.0.0.1');
  });
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { parse } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { createMemoryStore, createRedisStore, type KeyValueStore } from '@shop/kv';
import {
  channelIterator,
  createLogger,
  createSubgraphServer,
  EventQueue,
  publishEvent,
  requireCaller,
  generateKeyRing,
  keySetOf,
  signAccessToken,
  type KeyRing,
  type RequestBase,
  type SubgraphServer,
} from '@shop/subgraph-kit';
import { TEST_INTERNAL_CALLS, callAsRouter, routerHeadersFor, until } from '@shop/testing';

const logger = createLogger({ service: 'test', level: 'silent' });
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('EventQueue', () => {
  it('delivers pushed values in order, then finishes after end()', async () => {
    const queue = new EventQueue<number>();
    queue.push(1);
    queue.push(2);
    queue.end();
    const seen: number[] = [];
    for await (const value of queue) seen.push(value);
    expect(seen).toEqual([1, 2]);
  });

  it('ends a pending next() at once on return() and runs onClose exactly once', async () => {
    let closes = 0;
    const queue = new EventQueue<number>({ onClose: () => void (closes += 1) });
    const pending = queue.next();
    await queue.return();
    await queue.return();
    await expect(pending).resolves.toEqual({ value: undefined, done: true });
    expect(closes).toBe(1);
    queue.push(3);
    await expect(queue.next()).resolves.toEqual({ value: undefined, done: true });
  });

  it('drops the oldest unread values beyond maxBuffered, and rethrows an end error', async () => {
    const queue = new EventQueue<number>({ maxBuffered: 2 });
    [1, 2, 3].forEach((n) => queue.push(n));
    queue.end(new Error('source failed'));
    expect(queue.droppedCount).toBe(1);
    await expect(queue.next()).resolves.toEqual({ value: 2, done: false });
    await expect(queue.next()).resolves.toEqual({ value: 3, done: false });
    await expect(queue.next()).rejects.toThrow('source failed');
  });
});

// Redis: a second connection stands for another replica publishing. In process there is one store.
const stores: Array<[string, () => { subscriber: KeyValueStore; publisher: KeyValueStore }]> = [
  [
    'memory',
    () => {
      const store = createMemoryStore();
      return { subscriber: store, publisher: store };
    },
  ],
  [
    'redis',
    () => {
      const keyPrefix = `kit-test:${randomUUID()}:`;
      return {
        subscriber: createRedisStore(process.env.SHOP_TEST_REDIS_URL!, { keyPrefix }),
        publisher: createRedisStore(process.env.SHOP_TEST_REDIS_URL!, { keyPrefix }),
      };
    },
  ],
];

describe.each(stores)('channelIterator over %s', (_name, create) => {
  let subscriber: KeyValueStore;
  let publisher: KeyValueStore;
  beforeAll(() => {
    ({ subscriber, publisher } = create());
  });
  afterAll(async () => {
    await subscriber.close();
    if (publisher !== subscriber) await publisher.close();
  });

  it('delivers the events that pass the filter and stops listening when the iteration ends', async () => {
    const channel = `events-${randomUUID()}`;
    const source = publisher;
    const events = await channelIterator<{ n: number }>(subscriber, channel, { filter: (e) => e.n % 2 === 0 });
    for (const n of [1, 2, 3, 4]) await publishEvent(source, channel, { n });
    await expect(events.next()).resolves.toEqual({ value: { n: 2 }, done: false });
    await expect(events.next()).resolves.toEqual({ value: { n: 4 }, done: false });
    const pending = events.next();
    await events.return!();
    await expect(pending).resolves.toEqual({ value: undefined, done: true });
    // Messages on one connection arrive in publish order: once the marker is here, 6 came first.
    const markers = await channelIterator<{ n: number }>(subscriber, `${channel}-marker`);
    await publishEvent(source, channel, { n: 6 });
    await publishEvent(source, `${channel}-marker`, { n: 7 });
    await expect(markers.next()).resolves.toEqual({ value: { n: 7 }, done: false });
    await markers.return!();
    await expect(events.next()).resolves.toEqual({ value: undefined, done: true });
  });

  it('skips malformed messages', async () => {
    const channel = `events-${randomUUID()}`;
    const events = await channelIterator<{ n: number }>(subscriber, channel);
    await publisher.publish(channel, '{not json');
    await publishEvent(publisher, channel, { n: 1 });
    await expect(events.next()).resolves.toEqual({ value: { n: 1 }, done: false });
    await events.return!();
  });
});

describe('createSubgraphServer over WebSocket', () => {
  const kv = createMemoryStore();
  let contextsBuilt = 0;
  let server: SubgraphServer;
  let url: string;
  const clients: Client[] = [];

  const typeDefs = parse(`
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
    type Tick { n: Int! context: Int! owner: String! }
    type Query { ping: String }
    type Subscription { ticks: Tick!  mine: Tick!  broken: Tick! }
  `);

  let keys: KeyRing;
  let RouterSocket: new (address: string, protocols?: string | string[]) => WebSocket;

  beforeAll(async () => {
    keys = await generateKeyRing();
    server = createSubgraphServer<RequestBase & { built: number }>({ internalCalls: TEST_INTERNAL_CALLS,
      name: 'ticker',
      typeDefs,
      accessTokens: keySetOf(keys.published),
      logger,
      context: (base) => ({ ...base, built: ++contextsBuilt }),
      resolvers: {
        Query: { ping: () => 'pong' },
        Subscription: {
          ticks: { subscribe: () => channelIterator(kv, 'ticks'), resolve: (event: { n: number }) => event },
          mine: {
            subscribe: (_: unknown, __: unknown, ctx: RequestBase) => {
              requireCaller(ctx);
              return channelIterator(kv, 'ticks');
            },
            resolve: (event: { n: number }, _: unknown, ctx: RequestBase) => ({ ...event, owner: ctx.caller!.userId }),
          },
          broken: {
            subscribe: () => channelIterator(kv, 'ticks'),
            resolve: () => {
              throw new Error('db password is hunter2');
            },
          },
        },
        Tick: { context: (_: unknown, __: unknown, ctx: { built: number }) => ctx.built },
      } as never,
    });
    const httpUrl = (await server.listen(0, '127.0.0.1')).url;
    url = httpUrl.replace(/^http/, 'ws');
    callAsRouter(httpUrl, 'ticker');
    const headers = await routerHeadersFor(httpUrl);
    // The router opens every subscription socket to a subgraph, its token on the upgrade request.
    RouterSocket = class extends WebSocket {
      constructor(address: string, protocols?: string | string[]) {
        super(address, protocols, { headers });
      }
    };
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await server.stop();
    await kv.close();
  });

  function client(connectionParams: Record<string, unknown> = {}): Client {
    const c = createClient({ url, webSocketImpl: RouterSocket, connectionParams, retryAttempts: 0, lazy: true });
    clients.push(c);
    return c;
  }

  // The subscription is live only once the socket connected and the server subscribed to the
  // channel, which takes longer on a busy machine: trigger again until the event arrives
  // instead of guessing how long that takes.
  async function triggerUntil<T>(pending: Promise<T>, trigger: () => Promise<void>): Promise<T> {
    let settled = false;
    void pending.then(
      () => (settled = true),
      () => (settled = true),
    );
    for (let attempt = 0; attempt < 100 && !settled; attempt++) {
      await trigger();
      await Promise.race([pending.catch(() => undefined), wait(250)]);
    }
    return pending;
  }

  async function firstResult(c: Client, query: string, trigger: () => Promise<void>) {
    const iterator = c.iterate({ query });
    const result = await triggerUntil(iterator.next(), trigger);
    await iterator.return?.();
    return result.value as { data?: any; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };
  }

  it('serves subscriptions on /graphql and runs each event with a fresh context', async () => {
    const c = client();
    const iterator = c.iterate({ query: 'subscription { ticks { n context } }' });
    const first = triggerUntil(iterator.next(), () => publishEvent(kv, 'ticks', { n: 1 }));
    const a = (await first).value as { data: { ticks: { n: number; context: number } } };
    const second = iterator.next();
    await publishEvent(kv, 'ticks', { n: 2 });
    const b = (await second).value as { data: { ticks: { n: number; context: number } } };
    await iterator.return?.();
    expect([a.data.ticks.n, b.data.ticks.n]).toEqual([1, 2]);
    expect(b.data.ticks.context).toBeGreaterThan(a.data.ticks.context);
  });

  it('verifies the caller from connectionParams.authorization like the HTTP header', async () => {
    const token = await signAccessToken({ userId: 'u-7', role: 'CUSTOMER' }, { key: keys.signing, ttlSeconds: 60 });
    const signedIn = await firstResult(client({ authorization: `Bearer ${token}` }), 'subscription { mine { n owner } }', () =>
      publishEvent(kv, 'ticks', { n: 5 }),
    );
    expect(signedIn.data.mine).toEqual({ n: 5, owner: 'u-7' });

    const anonymous = await firstResult(client(), 'subscription { mine { n } }', async () => undefined);
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('masks unexpected errors and refuses invalid operations with coded errors', async () => {
    const broken = await firstResult(client(), 'subscription { broken { n } }', () => publishEvent(kv, 'ticks', { n: 1 }));
    expect(broken.errors?.[0]).toMatchObject({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    expect(JSON.stringify(broken)).not.toMatch(/hunter2/);

    await expect(
      new Promise((resolve, reject) => client().subscribe({ query: 'subscription { nope }' }, { next: resolve, error: reject, complete: () => resolve(null) })),
    ).rejects.toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'GRAPHQL_VALIDATION_FAILED' }) })]);
  });

  it('closes its sockets when clients leave, and on stop', async () => {
    const c = client();
    const iterator = c.iterate({ query: 'subscription { ticks { n } }' });
    void iterator.next();
    await until(() => server.openWebSockets() > 0 && server.activeSubscriptions() === 1, 'the subscription to be in effect');
    await iterator.return?.();
    await Promise.all(clients.map((x) => x.dispose()));
    await until(() => server.openWebSockets() === 0, 'every socket to close');
    expect(server.activeSubscriptions()).toBe(0);
  });
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { createMemoryStore, createRedisStore, startRedisServer, type KeyValueStore, type RedisServer } from '@shop/kv';
import type { RequestBase } from '@shop/subgraph-kit';
import { cutSubscriberConnection, eventually, freePort, testRouterKey } from '@shop/testing';
import { createRouter, type Router } from '../src/index.js';
import { fixtureSubgraph, hintedSdl, keySet, logger, manualClock, meSdl, startFixtures, stopFixtures, tokenFor } from './fixtures.js';

// What the router keeps (a caller's private `me`, public product prices) is forgotten after a
// mutation: answers from before it are neither used nor kept after it, on the replica that ran
// it and on every other replica sharing its Redis. "accounts" serves `me` (private, 60 s) and
// renames; "shelf" lists products; "catalog" completes them with a public price (60 s) and
// changes prices. Every `me` and every product price catalog resolves is counted.
const shelfSdl = hintedSdl(`
  type Product @key(fields: "id") { id: ID! }
  type Query { products: [Product!]! @cacheControl(maxAge: 300) }
`);
const catalogSdl = hintedSdl(`
  type Product @key(fields: "id") @cacheControl(maxAge: 60) { id: ID! price: String! }
  type Mutation { setPrice(id: ID!, price: String!): Product! }
`);

const names = new Map([['ana', 'Ana'], ['bo', 'Bo'], ['cy', 'Cy'], ['di', 'Di'], ['fay', 'Fay']]);
const prices = new Map([['p1', '10.00'], ['p2', '20.00']]);
const meCalls = new Map<string, number>();
const calls = (userId: string) => meCalls.get(userId) ?? 0;
let priceCalls = 0;

/** A `me` that reads the caller's name, then waits until released: a query in flight while a mutation goes through. */
let held: { userId: string; reached: () => void; gate: Promise<void> } | null = null;
function holdNextMe(userId: string): { reached: Promise<void>; release: () => void } {
  let release!: () => void;
  let reached!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const entered = new Promise<void>((resolve) => (reached = resolve));
  held = { userId, reached, gate };
  return { reached: entered, release };
}

const fixtures = [
  fixtureSubgraph('accounts', meSdl, {
    Query: {
      me: async (_: unknown, __: unknown, ctx: RequestBase) => {
        const userId = ctx.caller!.userId;
        meCalls.set(userId, calls(userId) + 1);
        const name = names.get(userId);
        const hold = held?.userId === userId ? held : null;
        if (hold) {
          held = null;
          hold.reached();
          await hold.gate;
        }
        return { id: userId, name };
      },
    },
    Mutation: {
      rename: (_: unknown, args: { name: string }, ctx: RequestBase) => {
        names.set(ctx.caller!.userId, args.name);
        return { id: ctx.caller!.userId, name: args.name };
      },
    },
    User: { name: (user: { id: string; name?: string }) => user.name ?? names.get(user.id) },
  }),
  fixtureSubgraph('shelf', shelfSdl, { Query: { products: () => [...prices.keys()].map((id) => ({ id })) } }),
  fixtureSubgraph('catalog', catalogSdl, {
    Mutation: {
      setPrice: (_: unknown, args: { id: string; price: string }) => {
        prices.set(args.id, args.price);
        return { id: args.id };
      },
    },
    Product: {
      __resolveReference: (ref: { id: string }) => {
        priceCalls += 1;
        return { id: ref.id };
      },
      price: (product: { id: string }) => prices.get(product.id),
    },
  }),
];

// Two replicas of the router over the same subgraphs and the same Redis (same key prefix);
// B's connections carry a name of their own, so that the test can cut B's subscription alone.
const redisUrl = process.env.SHOP_TEST_REDIS_URL!;
const keyPrefix = `forgetting-test:${randomUUID()}:`;
const connectionName = `forgetting-b-${randomUUID().slice(0, 8)}`;
const stores = [createRedisStore(redisUrl, { keyPrefix }), createRedisStore(redisUrl, { keyPrefix, connectionName })];
const clock = manualClock();
const routers: Router[] = [];
let a: string;
let b: string;
let supergraphSdl: string;
let serviceKey: Awaited<ReturnType<typeof testRouterKey>>;

beforeAll(async () => {
  supergraphSdl = await startFixtures(fixtures);
  serviceKey = await testRouterKey();
  for (const kv of stores) routers.push(createRouter({ supergraphSdl, logger, serviceKey, accessTokens: keySet, clock, kv }));
  [a, b] = (await Promise.all(routers.map((router) => router.listen(0, '127.0.0.1')))).map((listening) => listening.url) as [string, string];
  // Both replicas listen for the other's mutations before anything is asked.
  const admin = new Redis(redisUrl);
  try {
    await eventually(async () => (await admin.pubsub('NUMSUB', `${keyPrefix}mutations`))[1], (count) => count === 2);
  } finally {
    await admin.quit();
  }
});

afterAll(async () => {
  await Promise.all(routers.map((router) => router.stop()));
  await Promise.all(stores.map((kv) => kv.close()));
  await stopFixtures(fixtures);
});

async function ask(at: string, query: string, token?: string): Promise<any> {
  const response = await fetch(at, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query }),
  });
  const body = (await response.json()) as { data?: any; errors?: unknown };
  expect(body.errors).toBeUndefined();
  return body.data;
}

const tokenOf = (userId: string) => tokenFor(userId, 'CUSTOMER', { ttlSeconds: 3600, now: clock.now });
const ME = '{ me { id name } }';
const PRICES = '{ products { id price } }';
const nameAt = async (at: string, token: string): Promise<string> => (await ask(at, ME, token)).me.name;
const pricesAt = async (at: string): Promise<string[]> => (await ask(at, PRICES)).products.map((p: { price: string }) => p.price);

/** Asks `userId`'s name through `at` twice: the second answer comes from what the router kept (the subgraph is not called again). */
async function keptAt(at: string, userId: string, token: string): Promise<void> {
  await nameAt(at, token);
  const before = calls(userId);
  await nameAt(at, token);
  expect(calls(userId)).toBe(before);
}

describe('after a mutation through the router', () => {
  it('keeps no answer that was asked for before the mutation and came back after it', async () => {
    const ana = await tokenOf('ana');
    const { reached, release } = holdNextMe('ana');
    const early = nameAt(a, ana);
    await reached;
    await ask(a, 'mutation { rename(name: "Anna") { id } }', ana);
    release();
    // It was read before the rename: an answer of its time, but not one to give again.
    expect(await early).toBe('Ana');
    expect(await nameAt(a, ana)).toBe('Anna');
  });

  it('lets no query asked after the mutation share a call sent before it', async () => {
    const bo = await tokenOf('bo');
    const { reached, release } = holdNextMe('bo');
    const early = nameAt(a, bo);
    await reached;
    const before = calls('bo');
    await ask(a, 'mutation { rename(name: "Bob") { id } }', bo);
    const late = nameAt(a, bo);
    // The later query sends its own call (it would otherwise wait for the held one).
    await eventually(async () => calls('bo'), (count) => count > before);
    release();
    expect(await Promise.all([early, late])).toEqual(['Bo', 'Bob']);
  });
});

describe('on every replica sharing the router\'s Redis', () => {
  it("forgets a caller's private answer when a mutation goes through another replica", async () => {
    const cy = await tokenOf('cy');
    await keptAt(b, 'cy', cy);
    const before = calls('cy');
    await ask(a, 'mutation { rename(name: "Cyd") { id } }', cy);
    expect(await eventually(() => nameAt(b, cy), (name) => name === 'Cyd')).toBe('Cyd');
    expect(calls('cy') - before).toBe(1);
  });

  it('forgets public entities when a mutation goes through another replica', async () => {
    await pricesAt(b);
    const before = priceCalls;
    expect(await pricesAt(b)).toEqual(['10.00', '20.00']);
    expect(priceCalls).toBe(before);
    await ask(a, 'mutation { setPrice(id: "p2", price: "15.00") { id } }');
    expect(await eventually(() => pricesAt(b), (answered) => answered[1] === '15.00')).toEqual(['10.00', '15.00']);
    expect(priceCalls - before).toBe(2);
  });

  it('forgets everything once its lost subscription is back: it may have missed a mutation meanwhile', async () => {
    const di = await tokenOf('di');
    await keptAt(b, 'di', di);
    // Changed as a mutation through another replica would, whose announcement B never hears.
    names.set('di', 'Dido');
    expect(await nameAt(b, di)).toBe('Di');
    await cutSubscriberConnection(redisUrl, connectionName);
    expect(await eventually(() => nameAt(b, di), (name) => name === 'Dido')).toBe('Dido');
  });

  it('hears of them once the Redis it could not reach at its start is up, and forgets what it kept meanwhile', async () => {
    const port = await freePort();
    const lateUrl = `redis://127.0.0.1:${port}`;
    const latePrefix = `forgetting-late:${randomUUID()}:`;
    const store = createRedisStore(lateUrl, { keyPrefix: latePrefix });
    let refused = 0;
    const kv: KeyValueStore = {
      ...store,
      subscribe: (...args) =>
        store.subscribe(...args).catch((error: unknown) => {
          refused += 1;
          throw error;
        }),
    };
    const own = manualClock();
    const late = createRouter({ supergraphSdl, logger, serviceKey, accessTokens: keySet, clock: own, kv });
    const admin = new Redis(lateUrl, { lazyConnect: true });
    let redis: RedisServer | undefined;
    try {
      const url = (await late.listen(0, '127.0.0.1')).url;
      const fay = await tokenFor('fay', 'CUSTOMER', { ttlSeconds: 3600, now: own.now });
      await eventually(async () => refused, (count) => count > 0);
      await keptAt(url, 'fay', fay);
      // A mutation through another replica while this one cannot hear of it.
      names.set('fay', 'Faye');
      redis = await startRedisServer({ port });
      // It tries again as its clock moves (a few seconds: far from the kept answer's 60).
      const listening = await eventually(async () => {
        own.advance(1000);
        return (await admin.pubsub('NUMSUB', `${latePrefix}mutations`))[1];
      }, (count) => count === 1);
      expect(listening).toBe(1);
      expect(await eventually(() => nameAt(url, fay), (name) => name === 'Faye')).toBe('Faye');
      // And from then on hears of other replicas' mutations.
      await keptAt(url, 'fay', fay);
      names.set('fay', 'Fay');
      await admin.publish(`${latePrefix}mutations`, 'another replica');
      expect(await eventually(() => nameAt(url, fay), (name) => name === 'Fay')).toBe('Fay');
    } finally {
      await late.stop();
      await store.close();
      admin.disconnect();
      await redis?.stop();
    }
  });

  it('answers a mutation even when its announcement is never taken, once it has waited 1 s on its clock', async () => {
    // Redis gone without a word: the publish never completes.
    const memory = createMemoryStore();
    const own = manualClock();
    const router = createRouter({ supergraphSdl, logger, serviceKey, accessTokens: keySet, clock: own, kv: { ...memory, publish: () => new Promise<void>(() => {}) } });
    try {
      const url = (await router.listen(0, '127.0.0.1')).url;
      let answered = false;
      const renamed = ask(url, 'mutation { rename(name: "Edda") { name } }', await tokenOf('ed')).finally(() => (answered = true));
      await eventually(async () => {
        own.advance(1000);
        return answered;
      }, (done) => done);
      expect(answered).toBe(true);
      expect(await renamed).toEqual({ rename: { name: 'Edda' } });
    } finally {
      await router.stop();
      await memory.close();
    }
  });
});

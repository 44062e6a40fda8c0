import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { createRedisStore } from '@shop/kv';
import type { RequestBase } from '@shop/subgraph-kit';
import { eventually, testRouterKey } from '@shop/testing';
import { createRouter, type Router } from '../src/index.js';
import { fixtureSubgraph, keySet, logger, manualClock, meSdl, startFixtures, stopFixtures, tokenFor } from './fixtures.js';

// What the router keeps (here a caller's private `me`) is forgotten after a mutation: answers
// from before it are neither used nor kept after it. "accounts" serves `me` (private, 60 s) and
// renames; every `me` it resolves is counted.
const names = new Map([['ana', 'Ana'], ['bo', 'Bo'], ['cy', 'Cy'], ['di', 'Di']]);
const meCalls = new Map<string, number>();
const calls = (userId: string) => meCalls.get(userId) ?? 0;

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
];

const redisUrl = process.env.SHOP_TEST_REDIS_URL!;
const stores = [createRedisStore(redisUrl, { keyPrefix: `forgetting-test:${randomUUID()}:` })];
const clock = manualClock();
const routers: Router[] = [];
let a: string;

beforeAll(async () => {
  const supergraphSdl = await startFixtures(fixtures);
  const serviceKey = await testRouterKey();
  for (const kv of stores) routers.push(createRouter({ supergraphSdl, logger, serviceKey, accessTokens: keySet, clock, kv }));
  a = (await routers[0]!.listen(0, '127.0.0.1')).url;
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
const nameAt = async (at: string, token: string): Promise<string> => (await ask(at, ME, token)).me.name;

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

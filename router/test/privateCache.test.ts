import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createEvent, createMemoryBus } from '@shop/events';
import { AppError } from '@shop/errors';
import type { RequestBase } from '@shop/subgraph-kit';
import { eventually, testRouterKey } from '@shop/testing';
import { createRouter, type Router } from '../src/index.js';
import { fixtureSubgraph, hintedSdl, keySet, logger, manualClock, meSdl, startFixtures, stopFixtures, tokenFor } from './fixtures.js';

// The router keeps what a subgraph calls private (here `me`, 60 s) for the caller it was for
// alone, until its max-age or the caller's token runs out on the router's clock (which the test
// moves). "accounts" serves `me` (every resolution counted per caller), "history" adds an
// unhinted `User.orders`, "notice" a public `motto`.
const historySdl = hintedSdl(`
  type User @key(fields: "id") { id: ID! orders: [String!]! }
`);
const noticeSdl = hintedSdl(`
  type Query { motto: String! @cacheControl(maxAge: 300) }
`);

const names = new Map([['ana', 'Ana'], ['bo', 'Bo'], ['cy', 'Cy']]);
const meCalls = new Map<string, number>();
const calls = (userId: string) => meCalls.get(userId) ?? 0;
const fixtures = [
  fixtureSubgraph('accounts', meSdl, {
    Query: {
      me: (_: unknown, __: unknown, ctx: RequestBase) => {
        if (!ctx.caller) return null;
        meCalls.set(ctx.caller.userId, calls(ctx.caller.userId) + 1);
        return { id: ctx.caller.userId };
      },
    },
    Mutation: {
      rename: (_: unknown, args: { name: string }, ctx: RequestBase) => {
        names.set(ctx.caller!.userId, args.name);
        return { id: ctx.caller!.userId };
      },
    },
    User: {
      // Cy's name cannot be read right now: an answer with an error.
      name: (user: { id: string }) => {
        if (user.id === 'cy') throw new AppError('INTERNAL_SERVER_ERROR', 'name store unavailable');
        return names.get(user.id);
      },
    },
  }),
  fixtureSubgraph('history', historySdl, { User: { orders: (user: { id: string }) => [`order of ${user.id}`] } }),
  fixtureSubgraph('notice', noticeSdl, { Query: { motto: () => 'Read widely' } }),
];
const clock = manualClock();
const bus = createMemoryBus();
let router: Router;
let url: string;
let unverified: Router;
let unverifiedUrl: string;

beforeAll(async () => {
  const supergraphSdl = await startFixtures(fixtures);
  const serviceKey = await testRouterKey();
  router = createRouter({ supergraphSdl, logger, serviceKey, accessTokens: keySet, clock, events: bus });
  url = (await router.listen(0, '127.0.0.1')).url;
  // Forwards tokens without verifying them: it cannot tell whose they are, or until when.
  unverified = createRouter({ supergraphSdl, logger, serviceKey, clock });
  unverifiedUrl = (await unverified.listen(0, '127.0.0.1')).url;
});

afterAll(async () => {
  await Promise.all([router.stop(), unverified.stop()]);
  await stopFixtures(fixtures);
  await bus.close();
});

async function send(query: string, token?: string, at = url) {
  const response = await fetch(at, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query }),
  });
  return {
    status: response.status,
    body: (await response.json()) as { data?: any; errors?: Array<{ message: string; extensions?: { code?: string } }> },
    cacheControl: response.headers.get('cache-control'),
    vary: response.headers.get('vary'),
  };
}

async function ask(query: string, token?: string, at = url): Promise<{ data: any; cacheControl: string | null }> {
  const { body, cacheControl } = await send(query, token, at);
  expect(body.errors).toBeUndefined();
  return { data: body.data, cacheControl };
}

/** A token that expires `ttlSeconds` from now on the router's clock. */
const tokenOf = (userId: string, ttlSeconds = 3600) => tokenFor(userId, 'CUSTOMER', { ttlSeconds, now: clock.now });

const PAGE = '{ me { id orders } }';
const ME = '{ me { id name } }';

describe('private answers kept by the router for their caller', () => {
  it('answers the same caller\'s next page without calling the subgraph again', async () => {
    const ana = await tokenOf('ana');
    const before = calls('ana');
    expect(await ask(PAGE, ana)).toEqual({ data: { me: { id: 'ana', orders: ['order of ana'] } }, cacheControl: 'no-store' });
    expect(await ask(PAGE, ana)).toEqual({ data: { me: { id: 'ana', orders: ['order of ana'] } }, cacheControl: 'no-store' });
    expect(calls('ana') - before).toBe(1);
  });

  it('never answers another caller from it: each gets their own `me`', async () => {
    const [ana, bo] = await Promise.all([tokenOf('ana'), tokenOf('bo')]);
    await ask(PAGE, ana);
    const before = calls('bo');
    expect((await ask(PAGE, bo)).data).toEqual({ me: { id: 'bo', orders: ['order of bo'] } });
    expect(calls('bo') - before).toBe(1);
    // Another token of the same user is another identity: kept apart as well.
    const anaAgain = await tokenOf('ana', 1800);
    const anaBefore = calls('ana');
    expect((await ask(PAGE, anaAgain)).data.me.id).toBe('ana');
    expect(calls('ana') - anaBefore).toBe(1);
  });

  it('keeps it until its max-age is over, and says how long is left (private, strictest of the parts)', async () => {
    const ana = await tokenOf('ana');
    clock.advance(60_000);
    const before = calls('ana');
    expect(await ask(ME, ana)).toEqual({ data: { me: { id: 'ana', name: 'Ana' } }, cacheControl: 'max-age=60, private' });
    clock.advance(20_000);
    // Kept for the caller, beside a public part: the answer stays private.
    expect(await ask(`{ motto ${ME.slice(1)}`, ana)).toEqual({ data: { motto: 'Read widely', me: { id: 'ana', name: 'Ana' } }, cacheControl: 'max-age=40, private' });
    clock.advance(39_000);
    await ask(ME, ana);
    expect(calls('ana') - before).toBe(1);
    clock.advance(1_000);
    expect((await ask(ME, ana)).cacheControl).toBe('max-age=60, private');
    expect(calls('ana') - before).toBe(2);
  });

  it('tells browsers and proxies that a private answer is for its caller alone (Vary: Authorization)', async () => {
    const ana = await tokenOf('ana');
    clock.advance(60_000);
    const kept = await send(ME, ana);
    expect(kept.cacheControl).toMatch(/private/);
    // Accept-Encoding beside it: answers may go out compressed (see compression.test.ts).
    expect(kept.vary).toBe('Authorization, Accept-Encoding');
    // Anonymous, `me` is null and still private: a signed-in GET of the same URL must not get it.
    const anonymous = await send(ME);
    expect(anonymous.body.data).toEqual({ me: null });
    expect(anonymous.cacheControl).toMatch(/private/);
    expect(anonymous.vary).toBe('Authorization, Accept-Encoding');
    // An answer nobody may keep says nothing of the sort.
    const page = await send(PAGE, ana);
    expect(page.cacheControl).toBe('no-store');
    expect(page.vary).toBe('Accept-Encoding');
  });

  it('keeps it no longer than the caller\'s token is valid', async () => {
    const bo = await tokenOf('bo', 45);
    const before = calls('bo');
    expect((await ask(ME, bo)).cacheControl).toBe('max-age=60, private');
    clock.advance(44_000);
    expect((await ask(ME, bo)).cacheControl).toBe('max-age=1, private');
    expect(calls('bo') - before).toBe(1);
    // Past the token's exp on the router's clock: never from the cache.
    clock.advance(1_000);
    await ask(ME, bo);
    expect(calls('bo') - before).toBe(2);
  });

  it('forgets it once a mutation goes through the router', async () => {
    const ana = await tokenOf('ana');
    clock.advance(60_000);
    await ask(ME, ana);
    const before = calls('ana');
    await ask(ME, ana);
    expect(calls('ana')).toBe(before);
    await ask('mutation { rename(name: "Anna") { id } }', ana);
    expect((await ask(ME, ana)).data.me.name).toBe('Anna');
    expect(calls('ana') - before).toBe(1);
  });

  it('never keeps an answer with errors', async () => {
    const cy = await tokenOf('cy');
    for (let i = 0; i < 2; i++) {
      const { body } = await send(ME, cy);
      expect(body).toMatchObject({ data: { me: null }, errors: [{ extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
    }
    expect(calls('cy')).toBe(2);
  });

  it('keeps nothing for anonymous callers, nor where the router does not verify tokens', async () => {
    expect((await ask(ME)).data).toEqual({ me: null });
    const bo = await tokenOf('bo');
    const before = calls('bo');
    await ask(ME, bo, unverifiedUrl);
    await ask(ME, bo, unverifiedUrl);
    expect(calls('bo') - before).toBe(2);
  });

  it('refuses a revoked token even while its answer is kept', async () => {
    const bo = await tokenOf('bo');
    clock.advance(60_000);
    await ask(ME, bo);
    const before = calls('bo');
    await ask(ME, bo);
    expect(calls('bo')).toBe(before);
    await bus.publish([createEvent('users', 'user.deleted', 'bo', { userId: 'bo', deletedAt: new Date(clock.now()).toISOString() })]);
    const refused = await eventually(() => send(ME, bo), (answer) => answer.status === 401);
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(refused.body.data).toBeUndefined();
  });
});

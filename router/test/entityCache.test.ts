import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { RequestBase } from '@shop/subgraph-kit';
import { createRouter, type Router } from '../src/index.js';
import { fixtureSubgraph, hintedSdl, keySet, logger, manualClock, startFixtures, stopFixtures, tokenFor } from './fixtures.js';
import { testRouterKey } from '@shop/testing';

// The router keeps entity answers a subgraph calls public for their max-age (on its clock, which
// the test moves), and private ones for their caller alone: "shelf" lists books, "catalog"
// completes them with a public title (60 s) and a private note for the caller. Every book catalog
// is asked to complete is counted. (privateCache.test.ts: private root fields such as `me`.)
const shelfSdl = hintedSdl(`
  type Book @key(fields: "id") { id: ID! }
  type Query { shelf: [Book!]! @cacheControl(maxAge: 300) }
`);
const catalogSdl = hintedSdl(`
  type Book @key(fields: "id") @cacheControl(maxAge: 60) {
    id: ID!
    title: String!
    note: String! @cacheControl(scope: PRIVATE)
  }
  type Mutation { retitle(id: ID!, title: String!): Book! }
`);

const titles = new Map([['b1', 'Dune'], ['b2', 'Emma']]);
let resolved = 0;
const fixtures = [
  fixtureSubgraph('shelf', shelfSdl, { Query: { shelf: () => [...titles.keys()].map((id) => ({ id })) } }),
  fixtureSubgraph('catalog', catalogSdl, {
    Mutation: {
      retitle: (_: unknown, args: { id: string; title: string }) => {
        titles.set(args.id, args.title);
        return { id: args.id };
      },
    },
    Book: {
      __resolveReference: (ref: { id: string }) => {
        resolved += 1;
        return { id: ref.id };
      },
      title: (book: { id: string }) => titles.get(book.id),
      note: (_: unknown, __: unknown, ctx: RequestBase) => `for ${ctx.caller?.userId ?? 'anyone'}`,
    },
  }),
];
const clock = manualClock();
let router: Router;
let url: string;

beforeAll(async () => {
  const supergraphSdl = await startFixtures(fixtures);
  router = createRouter({ supergraphSdl, logger, serviceKey: await testRouterKey(), accessTokens: keySet, clock });
  url = (await router.listen(0, '127.0.0.1')).url;
});

afterAll(async () => {
  await router.stop();
  await stopFixtures(fixtures);
});

async function ask(query: string, token?: string): Promise<{ data: any; cacheControl: string | null }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query }),
  });
  const body = (await response.json()) as { data: any; errors?: unknown };
  expect(body.errors).toBeUndefined();
  return { data: body.data, cacheControl: response.headers.get('cache-control') };
}

const TITLES = '{ shelf { id title } }';

describe('entity answers kept by the router', () => {
  it('answers public entities from what it kept until their max-age is over', async () => {
    const before = resolved;
    expect(await ask(TITLES)).toEqual({ data: { shelf: [{ id: 'b1', title: 'Dune' }, { id: 'b2', title: 'Emma' }] }, cacheControl: 'max-age=60, public' });
    expect(resolved - before).toBe(2);
    // Changed behind the router's back: the kept answer stands while the subgraph said it may.
    titles.set('b1', 'Dune Messiah');
    clock.advance(59_000);
    expect(await ask(TITLES, await tokenFor('ana'))).toMatchObject({ data: { shelf: [{ title: 'Dune' }, { title: 'Emma' }] } });
    expect(resolved - before).toBe(2);
    clock.advance(1_000);
    expect((await ask(TITLES)).data.shelf[0]).toEqual({ id: 'b1', title: 'Dune Messiah' });
    expect(resolved - before).toBe(4);
  });

  it('reports the age a kept entity has left in the answer\'s cache-control', async () => {
    clock.advance(60_000);
    expect((await ask(TITLES)).cacheControl).toBe('max-age=60, public');
    clock.advance(20_000);
    expect((await ask(TITLES)).cacheControl).toBe('max-age=40, public');
  });

  it('keeps a private answer for its caller alone: each caller gets their own', async () => {
    clock.advance(60_000);
    const before = resolved;
    const notes = '{ shelf { title note } }';
    const notesOf = async (token?: string) => (await ask(notes, token)).data.shelf.map((b: { note: string }) => b.note);
    // Valid on the router's clock: nothing private is kept past a token's expiry.
    const [ana, bo] = await Promise.all([tokenFor('ana', 'CUSTOMER', { now: clock.now }), tokenFor('bo', 'CUSTOMER', { now: clock.now })]);
    expect((await ask(notes, ana)).cacheControl).toBe('max-age=60, private');
    expect(resolved - before).toBe(2);
    clock.advance(20_000);
    expect(await ask(notes, ana)).toMatchObject({ data: { shelf: [{ note: 'for ana' }, { note: 'for ana' }] }, cacheControl: 'max-age=40, private' });
    expect(resolved - before).toBe(2);
    expect(await notesOf(bo)).toEqual(['for bo', 'for bo']);
    expect(await notesOf(ana)).toEqual(['for ana', 'for ana']);
    expect(resolved - before).toBe(4);
    // Nobody's to keep for an anonymous caller: asked every time.
    expect(await notesOf()).toEqual(['for anyone', 'for anyone']);
    expect(await notesOf()).toEqual(['for anyone', 'for anyone']);
    expect(resolved - before).toBe(8);
  });

  it('forgets everything it kept once a mutation goes through it', async () => {
    clock.advance(60_000);
    await ask(TITLES);
    const before = resolved;
    await ask(TITLES);
    expect(resolved - before).toBe(0);
    await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: 'mutation { retitle(id: "b2", title: "Persuasion") { id } }' }) });
    expect((await ask(TITLES)).data.shelf[1]).toEqual({ id: 'b2', title: 'Persuasion' });
    expect(resolved - before).toBe(2);
  });
});

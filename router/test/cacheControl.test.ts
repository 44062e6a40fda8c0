import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { createRouter, type Router } from '../src/index.js';
import { fixtureSubgraph, hintedSdl, logger, startFixtures, stopFixtures } from './fixtures.js';
import { testRouterKey } from '@shop/testing';

// Cache-Control at the router comes from the subgraphs' `@cacheControl` hints: each subgraph's
// Apollo Server turns its hints into a `cache-control` header, and the router keeps the
// strictest of the fetches an operation made.
const shelfSdl = hintedSdl(`
  type Book @key(fields: "id") @cacheControl(maxAge: 120) { id: ID! title: String! }
  type Query {
    books: [Book!]! @cacheControl(maxAge: 300)
    shelfOf(owner: String!): [Book!]! @cacheControl(maxAge: 60, scope: PRIVATE)
    noHint: String
  }
  type Mutation { touch: Boolean! }
`);
const stockSdl = hintedSdl(`
  type Book @key(fields: "id") @cacheControl(maxAge: 30) { id: ID! copies: Int! }
`);

const books = [{ id: 'b1', title: 'Dune' }, { id: 'b2', title: 'Emma' }];
const fixtures = [
  fixtureSubgraph('shelf', shelfSdl, {
    Query: { books: () => books, shelfOf: () => books.slice(0, 1), noHint: () => 'x' },
    Mutation: { touch: () => true },
    Book: { __resolveReference: (ref: { id: string }) => books.find((b) => b.id === ref.id) },
  }),
  fixtureSubgraph('stock', stockSdl, { Book: { __resolveReference: (ref: { id: string }) => ({ id: ref.id, copies: 3 }) } }),
];
let router: Router;
let url: string;

beforeAll(async () => {
  const supergraphSdl = await startFixtures(fixtures);
  router = createRouter({ supergraphSdl, logger, serviceKey: await testRouterKey() });
  url = (await router.listen(0, '127.0.0.1')).url;
});

afterAll(async () => {
  await router.stop();
  await stopFixtures(fixtures);
});

async function cacheControlOf(query: string): Promise<string | null> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  const body = (await response.json()) as { errors?: unknown };
  expect(body.errors).toBeUndefined();
  return response.headers.get('cache-control');
}

describe('cache-control from subgraph hints', () => {
  it('is the hint of the one subgraph asked (a field hint before its type\'s)', async () => {
    expect(await cacheControlOf('{ books { id title } }')).toBe('max-age=300, public');
  });

  it('takes the strictest max-age across subgraphs', async () => {
    expect(await cacheControlOf('{ books { title copies } }')).toBe('max-age=30, public');
  });

  it('is private as soon as one part is user-specific', async () => {
    expect(await cacheControlOf('{ shelfOf(owner: "me") { title copies } }')).toBe('max-age=30, private');
  });

  it('is no-store when a part has no hint, and for mutations', async () => {
    expect(await cacheControlOf('{ books { title } noHint }')).toBe('no-store');
    expect(await cacheControlOf('mutation { touch }')).toBe('no-store');
  });

  it('lets a CDN cache an APQ GET of a public query', async () => {
    const query = '{ books { id title copies } }';
    const sha256Hash = createHash('sha256').update(query).digest('hex');
    const extensions = encodeURIComponent(JSON.stringify({ persistedQuery: { version: 1, sha256Hash } }));
    const headers = { 'apollo-require-preflight': 'true' };
    const miss = await fetch(`${url}?extensions=${extensions}`, { headers });
    expect(miss.headers.get('cache-control')).toMatch(/no-cache|no-store/);
    await fetch(`${url}?query=${encodeURIComponent(query)}&extensions=${extensions}`, { headers });
    const hit = await fetch(`${url}?extensions=${extensions}`, { headers });
    expect(((await hit.json()) as { data: { books: unknown[] } }).data.books).toHaveLength(2);
    expect(hit.headers.get('cache-control')).toBe('max-age=30, public');
  });
});

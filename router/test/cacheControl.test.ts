import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { parse } from 'graphql';
import { createSubgraphServer, type RequestBase } from '@shop/subgraph-kit';
import { composeSupergraph, createRouter, type Router } from '../src/index.js';
import { keySet, logger } from './fixtures.js';
import { TEST_INTERNAL_CALLS, testRouterKey } from '@shop/testing';

// Cache-Control at the router comes from the subgraphs' `@cacheControl` hints: each subgraph's
// Apollo Server turns its hints into a `cache-control` header, and the router keeps the
// strictest of the fetches an operation made.
const HINTS = `
  enum CacheControlScope @inaccessible { PUBLIC PRIVATE }
  directive @cacheControl(maxAge: Int, scope: CacheControlScope, inheritMaxAge: Boolean) on FIELD_DEFINITION | OBJECT | INTERFACE | UNION
`;
const LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@inaccessible"])';
const shelfSdl = parse(`${LINK} ${HINTS}
  type Book @key(fields: "id") @cacheControl(maxAge: 120) { id: ID! title: String! }
  type Query {
    books: [Book!]! @cacheControl(maxAge: 300)
    shelfOf(owner: String!): [Book!]! @cacheControl(maxAge: 60, scope: PRIVATE)
    noHint: String
  }
  type Mutation { touch: Boolean! }
`);
const stockSdl = parse(`${LINK} ${HINTS}
  type Book @key(fields: "id") @cacheControl(maxAge: 30) { id: ID! copies: Int! }
`);

const books = [{ id: 'b1', title: 'Dune' }, { id: 'b2', title: 'Emma' }];
const subgraph = (name: string, typeDefs: ReturnType<typeof parse>, resolvers: Record<string, unknown>) =>
  createSubgraphServer<RequestBase>({ name, typeDefs, internalCalls: TEST_INTERNAL_CALLS, accessTokens: keySet, logger, context: (base) => base, resolvers: resolvers as never });
const servers = [
  subgraph('shelf', shelfSdl, {
    Query: { books: () => books, shelfOf: () => books.slice(0, 1), noHint: () => 'x' },
    Mutation: { touch: () => true },
    Book: { __resolveReference: (ref: { id: string }) => books.find((b) => b.id === ref.id) },
  }),
  subgraph('stock', stockSdl, { Book: { __resolveReference: (ref: { id: string }) => ({ id: ref.id, copies: 3 }) } }),
];
let router: Router;
let url: string;

beforeAll(async () => {
  const [a, b] = await Promise.all(servers.map((s) => s.listen(0, '127.0.0.1')));
  const { supergraphSdl } = composeSupergraph([
    { name: 'shelf', url: a!.url, typeDefs: shelfSdl },
    { name: 'stock', url: b!.url, typeDefs: stockSdl },
  ]);
  router = createRouter({ supergraphSdl, logger, serviceKey: await testRouterKey() });
  url = (await router.listen(0, '127.0.0.1')).url;
});

afterAll(async () => {
  await router.stop();
  await Promise.all(servers.map((s) => s.stop()));
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

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'graphql';
import { createLogger, createSubgraphServer, requireCaller, type RequestBase } from '@shop/subgraph-kit';
import { errorCodes, graphql, TEST_INTERNAL_CALLS, testRouterKey } from '@shop/testing';
import { composeSupergraph, CompositionError, createRouter, subgraphsOf, type Router } from '../src/index.js';
import { keySet, tokenFor } from './fixtures.js';

const logger = createLogger({ service: 'test', level: 'silent' });

// Two fixture subgraphs: "accounts" owns Account, "notes" adds Account.notes and owns Note.
const accountsSdl = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
  type Account @key(fields: "id") { id: ID! handle: String! }
  type Query { whoami: Account  boom: String  account(id: ID!): Account }
`);
const notesSdl = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
  type Account @key(fields: "id") { id: ID! notes: [Note!]! }
  type Note { id: ID! text: String! author: Account! }
  type Query { notes: [Note!]! }
`);

const seenHeaders: Array<Record<string, string | undefined>> = [];
const referenceCalls: string[][] = [];

function accounts() {
  return createSubgraphServer<RequestBase>({ internalCalls: TEST_INTERNAL_CALLS,
    name: 'accounts',
    typeDefs: accountsSdl,
    accessTokens: keySet,
    logger,
    context: (base) => base,
    resolvers: {
      Query: {
        whoami: (_: unknown, __: unknown, ctx: RequestBase) => {
          const caller = requireCaller(ctx);
          return { id: caller.userId, handle: `user-${caller.userId}` };
        },
        boom: () => {
          throw new Error('connection string postgres://secret@db leaked?');
        },
        account: (_: unknown, args: { id: string }) => ({ id: args.id, handle: `user-${args.id}` }),
      },
      Account: {
        __resolveReference: (ref: { id: string }) => ({ id: ref.id, handle: `user-${ref.id}` }),
      },
    } as never,
  });
}

function notes() {
  return createSubgraphServer<RequestBase>({ internalCalls: TEST_INTERNAL_CALLS,
    name: 'notes',
    typeDefs: notesSdl,
    accessTokens: keySet,
    logger,
    context: (base) => base,
    resolvers: {
      Query: {
        notes: (_: unknown, __: unknown, ctx: RequestBase) => {
          seenHeaders.push({ requestId: ctx.requestId, caller: ctx.caller?.userId });
          return ['1', '2', '3'].map((id) => ({ id, text: `note ${id}`, author: { __typename: 'Account', id: `a${id}` } }));
        },
      },
      Note: { author: (note: { author: unknown }) => note.author },
      Account: {
        __resolveReference: (ref: { id: string }) => {
          referenceCalls.push([ref.id]);
          return { id: ref.id };
        },
        notes: (account: { id: string }) => [{ id: `n-${account.id}`, text: 'hi', author: { __typename: 'Account', id: account.id } }],
      },
    } as never,
  });
}

describe('router over fixture subgraphs', () => {
  const servers = [accounts(), notes()];
  let router: Router;
  let url: string;
  let base: string;
  const fetches: string[] = [];

  beforeAll(async () => {
    const [a, n] = await Promise.all(servers.map((s) => s.listen(0, '127.0.0.1')));
    const { supergraphSdl } = composeSupergraph([
      { name: 'accounts', url: a!.url, typeDefs: accountsSdl },
      { name: 'notes', url: n!.url, typeDefs: notesSdl },
    ]);
    router = createRouter({ serviceKey: await testRouterKey(), supergraphSdl, logger, onSubgraphFetch: (e) => fetches.push(e.service) });
    url = (await router.listen(0, '127.0.0.1')).url;
    base = url.replace(/\/graphql$/, '');
  });

  afterAll(async () => {
    await router.stop();
    await Promise.all(servers.map((s) => s.stop()));
  });

  it('stitches fields from two subgraphs into one response, one fetch per subgraph per level', async () => {
    fetches.length = 0;
    const result = await graphql(url, '{ notes { id text author { id handle } } }');
    expect(result.errors).toBeUndefined();
    expect(result.data.notes).toEqual([
      { id: '1', text: 'note 1', author: { id: 'a1', handle: 'user-a1' } },
      { id: '2', text: 'note 2', author: { id: 'a2', handle: 'user-a2' } },
      { id: '3', text: 'note 3', author: { id: 'a3', handle: 'user-a3' } },
    ]);
    // notes once, then all three authors in one _entities fetch to accounts
    expect(fetches).toEqual(['notes', 'accounts']);
  });

  it('forwards the bearer token and the request id to subgraphs', async () => {
    const token = await tokenFor('u-42');
    seenHeaders.length = 0;
    const result = await graphql(url, '{ whoami { handle notes { text } } notes { id } }', {}, {
      token,
      headers: { 'x-request-id': 'req-abc' },
    });
    expect(result.errors).toBeUndefined();
    expect(result.data.whoami.handle).toBe('user-u-42');
    expect(seenHeaders).toEqual([{ requestId: 'req-abc', caller: 'u-42' }]);
    expect(result.headers.get('x-request-id')).toBe('req-abc');
  });

  it('keeps coded subgraph errors and masks internal ones without leaking details', async () => {
    const anonymous = await graphql(url, '{ whoami { id } }');
    expect(errorCodes(anonymous)).toEqual(['UNAUTHENTICATED']);

    const boom = await graphql(url, '{ boom }');
    expect(errorCodes(boom)).toEqual(['INTERNAL_SERVER_ERROR']);
    expect(JSON.stringify(boom)).not.toMatch(/postgres|secret|stack|at /);
  });

  it('answers malformed requests with coded errors instead of crashing', async () => {
    const badJson = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":' });
    expect(badJson.status).toBe(400);
    expect(((await badJson.json()) as any).errors[0].extensions.code).toBe('BAD_REQUEST');

    const huge = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ notes { id } } # ${'x'.repeat(1_100_000)}` }),
    });
    expect(huge.status).toBe(413);

    const invalid = await graphql(url, '{ notes { nope } }');
    expect(errorCodes(invalid)).toEqual(['GRAPHQL_VALIDATION_FAILED']);

    const after = await graphql(url, '{ notes { id } }');
    expect(after.data.notes).toHaveLength(3);
  });

  it('reports itself healthy with every subgraph up', async () => {
    const response = await fetch(`${base}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      status: 'ok',
      supergraph: 'loaded',
      subgraphs: { accounts: 'up', notes: 'up' },
    });
  });
});

describe('composition', () => {
  it('names the subgraphs and URLs of a composed supergraph', () => {
    const { supergraphSdl } = composeSupergraph([
      { name: 'accounts', url: 'http://accounts:4001/graphql', typeDefs: accountsSdl },
      { name: 'notes', url: 'http://notes:4002/graphql', typeDefs: notesSdl },
    ]);
    expect(subgraphsOf(supergraphSdl)).toEqual([
      { name: 'accounts', url: 'http://accounts:4001/graphql' },
      { name: 'notes', url: 'http://notes:4002/graphql' },
    ]);
  });

  it('fails with every composition error listed', () => {
    const clash = parse(`
      extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
      type Account @key(fields: "id") { id: ID! handle: Int! }
      type Query { other: Account }
    `);
    expect(() =>
      composeSupergraph([
        { name: 'accounts', url: 'http://a/graphql', typeDefs: accountsSdl },
        { name: 'clash', url: 'http://c/graphql', typeDefs: clash },
      ]),
    ).toThrow(CompositionError);
    try {
      composeSupergraph([
        { name: 'accounts', url: 'http://a/graphql', typeDefs: accountsSdl },
        { name: 'clash', url: 'http://c/graphql', typeDefs: clash },
      ]);
    } catch (error) {
      expect((error as CompositionError).errors.join('\n')).toMatch(/Account\.handle/);
    }
  });
});

describe('router with a subgraph down', () => {
  it('stays up, answers with a coded error and reports the subgraph down', async () => {
    const { supergraphSdl } = composeSupergraph([
      { name: 'accounts', url: 'http://127.0.0.1:1/graphql', typeDefs: accountsSdl },
    ]);
    const router = createRouter({ serviceKey: await testRouterKey(), supergraphSdl, logger });
    const { url } = await router.listen(0, '127.0.0.1');
    try {
      const result = await graphql(url, '{ account(id: "1") { handle } }');
      expect(result.data?.account ?? null).toBeNull();
      expect(result.errors?.length).toBeGreaterThan(0);
      expect(result.errors?.[0]?.extensions?.code).toBeDefined();
      const health = await fetch(url.replace(/graphql$/, 'health'));
      expect(health.status).toBe(200);
      expect(((await health.json()) as any).subgraphs).toEqual({ accounts: 'down' });
    } finally {
      await router.stop();
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'graphql';
import { createSubgraphServer, type RequestBase } from '@shop/subgraph-kit';
import { composeSupergraph, createRouter, type Router } from '../src/index.js';
import { keySet, logger, tokenFor } from './fixtures.js';
import { TEST_INTERNAL_CALLS, testRouterKey } from '@shop/testing';

// Identical queries in flight merge only when they carry the same forwarded identity. A gate in
// the subgraph holds every call until the test has seen what reached it.
const sdl = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
  type Query { whoami: String }
`);
const calls: Array<{ caller: string | null; release: () => void }> = [];
let arrived: (() => void) | null = null;
const subgraph = createSubgraphServer<RequestBase>({
  name: 'gated',
  typeDefs: sdl,
  internalCalls: TEST_INTERNAL_CALLS,
  accessTokens: keySet,
  logger,
  context: (base) => base,
  resolvers: {
    Query: {
      whoami: (_: unknown, __: unknown, ctx: RequestBase) =>
        new Promise<string | null>((resolve) => {
          calls.push({ caller: ctx.caller?.userId ?? null, release: () => resolve(ctx.caller?.userId ?? null) });
          arrived?.();
        }),
    },
  } as never,
});
let router: Router;
let url: string;

beforeAll(async () => {
  const { url: subgraphUrl } = await subgraph.listen(0, '127.0.0.1');
  const { supergraphSdl } = composeSupergraph([{ name: 'gated', url: subgraphUrl, typeDefs: sdl }]);
  router = createRouter({ supergraphSdl, logger, accessTokens: keySet, serviceKey: await testRouterKey() });
  url = (await router.listen(0, '127.0.0.1')).url;
});

afterAll(async () => {
  for (const call of calls) call.release();
  await router.stop();
  await subgraph.stop();
});

/** Resolves once `count` calls have reached the subgraph. */
async function callsReach(count: number): Promise<void> {
  while (calls.length < count) await new Promise<void>((resolve) => (arrived = resolve));
}

const post = (body: unknown, token?: string) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });

describe('merging identical in-flight queries', () => {
  it('runs identical queries of one caller once and gives each the answer', async () => {
    calls.length = 0;
    const token = await tokenFor('ana');
    const batch = post([{ query: '{ whoami }' }, { query: '{ whoami }' }, { query: '{ whoami }' }], token);
    await callsReach(1);
    calls[0]!.release();
    const answers = (await (await batch).json()) as Array<{ data: { whoami: string } }>;
    expect(answers.map((a) => a.data.whoami)).toEqual(['ana', 'ana', 'ana']);
    expect(calls).toHaveLength(1);
  });

  it('never answers one caller with another\'s data', async () => {
    calls.length = 0;
    const [ana, bo] = await Promise.all(['ana', 'bo'].map((userId) => tokenFor(userId)));
    const asAna = post({ query: '{ whoami }' }, ana);
    const asBo = post({ query: '{ whoami }' }, bo);
    const anonymous = post({ query: '{ whoami }' });
    await callsReach(3);
    expect(calls.map((c) => c.caller).sort()).toEqual(['ana', 'bo', null].sort());
    for (const call of calls) call.release();
    const whoami = async (response: Promise<Response>) => ((await (await response).json()) as { data: { whoami: string | null } }).data.whoami;
    expect([await whoami(asAna), await whoami(asBo), await whoami(anonymous)]).toEqual(['ana', 'bo', null]);
  });
});

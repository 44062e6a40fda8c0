import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'graphql';
import { createSubgraphServer, type RequestBase } from '@shop/subgraph-kit';
import { graphql, TEST_INTERNAL_CALLS } from '@shop/testing';
import { composeSupergraph } from '../src/index.js';
import { keySet, logger } from './fixtures.js';
import { startRouterAndStock } from './stockGateway.js';

// Two @requires of one field with different arguments: freight prices postage from an item's
// weight in grams and air freight from its weight in kilograms, both read from the scales. The
// federation spec gives each field the value its own @requires selects; stock @apollo/gateway
// (its 2.14 planner) fetches one variant and hands it to both.
const LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@external", "@requires"])';
const sdls = {
  shelf: parse(`${LINK} type Item @key(fields: "id") { id: ID! name: String! } type Query { shelf: [Item!]! item(id: ID!): Item }`),
  scales: parse(`${LINK} type Item @key(fields: "id") { id: ID! weight(unit: String!): Float! }`),
  freight: parse(`${LINK} type Item @key(fields: "id") {
    id: ID!
    weight(unit: String!): Float! @external
    postage: String! @requires(fields: "weight(unit: \\"g\\")")
    airFreight(express: Boolean = false): String! @requires(fields: "weight(unit: \\"kg\\")")
  }`),
};
const grams: Record<string, number> = { i1: 1200, i2: 800 };
const items = Object.keys(grams).map((id) => ({ id, name: `Item ${id}` }));
const subgraph = (name: keyof typeof sdls, resolvers: Record<string, unknown>) =>
  createSubgraphServer<RequestBase>({ name, typeDefs: sdls[name], internalCalls: TEST_INTERNAL_CALLS, accessTokens: keySet, logger, context: (base) => base, resolvers: resolvers as never });
const servers = [
  subgraph('shelf', { Query: { shelf: () => items, item: (_: unknown, args: { id: string }) => items.find((i) => i.id === args.id) ?? null } }),
  subgraph('scales', { Item: { __resolveReference: (ref: { id: string }) => ref, weight: (item: { id: string }, args: { unit: string }) => grams[item.id]! / (args.unit === 'kg' ? 1000 : 1) } }),
  subgraph('freight', {
    Item: {
      __resolveReference: (ref: { id: string; weight: number }) => ref,
      postage: (item: { weight: number }) => `${item.weight} g`,
      airFreight: (item: { weight: number }, args: { express: boolean }) => `${item.weight} kg${args.express ? ' express' : ''}`,
    },
  }),
];
let pair: Awaited<ReturnType<typeof startRouterAndStock>>;

beforeAll(async () => {
  const listening = await Promise.all(servers.map((s) => s.listen(0, '127.0.0.1')));
  pair = await startRouterAndStock(composeSupergraph((['shelf', 'scales', 'freight'] as const).map((name, i) => ({ name, url: listening[i]!.url, typeDefs: sdls[name] }))).supergraphSdl);
});

afterAll(async () => {
  await pair.stop();
  await Promise.all(servers.map((s) => s.stop()));
});

describe('@requires of one field with different arguments', () => {
  it('each field is computed from the variant its own @requires names', async () => {
    const query = '{ shelf { id postage airFreight } }';
    const [result, reference] = [await graphql(pair.ours, query), await graphql(pair.stock, query)];
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ shelf: [{ id: 'i1', postage: '1200 g', airFreight: '1.2 kg' }, { id: 'i2', postage: '800 g', airFreight: '0.8 kg' }] });
    // Stock fetches one weight for both fields: one of them is computed from the wrong unit.
    expect(reference.data).not.toEqual(result.data);
  });

  it('with aliases, field arguments, variables and other fields of the same subgraph beside them', async () => {
    const query = `query Q($express: Boolean!, $id: ID!) { item(id: $id) { name a: airFreight(express: $express) b: airFreight
      p: postage again: postage } shelf { postage } }`;
    const result = await graphql(pair.ours, query, { express: true, id: 'i2' });
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ item: { name: 'Item i2', a: '0.8 kg express', b: '0.8 kg', p: '800 g', again: '800 g' }, shelf: [{ postage: '1200 g' }, { postage: '800 g' }] });
  });

  it('one variant alone needs no rewrite: the same answer as stock', async () => {
    for (const query of ['{ shelf { airFreight } }', '{ shelf { postage name } }']) {
      const [result, reference] = [await graphql(pair.ours, query), await graphql(pair.stock, query)];
      expect(result.errors).toBeUndefined();
      expect(result.data).toEqual(reference.data);
    }
  });
});

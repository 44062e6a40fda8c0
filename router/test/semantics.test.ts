import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { graphql, type GraphQLResponse } from '@shop/testing';
import { composeSupergraph } from '../src/index.js';
import { chainSdls, chainSubgraphs, salesOracle, salesSdl, startLaxSales, type ChainName } from './semanticsFixtures.js';
import { startRouterAndStock } from './stockGateway.js';

// Federation semantics held to the GraphQL spec (graphql-js is the reference where it can
// answer), on fixture subgraphs: the stock gateway is shown where it differs.

const names = Object.keys(chainSubgraphs) as ChainName[];
const servers = names.map((name) => chainSubgraphs[name]());
const stops: Array<() => Promise<void>> = [];
let ours: string;
let stock: string;

beforeAll(async () => {
  const listening = await Promise.all(servers.map((s) => s.listen(0, '127.0.0.1')));
  const sales = await startLaxSales();
  stops.push(() => sales.stop());
  const { supergraphSdl } = composeSupergraph([
    ...names.map((name, i) => ({ name, url: listening[i]!.url, typeDefs: chainSdls[name] })),
    { name: 'sales', url: sales.url, typeDefs: salesSdl },
  ]);
  const pair = await startRouterAndStock(supergraphSdl);
  ({ ours, stock } = pair);
  stops.push(() => pair.stop());
});

afterAll(async () => {
  for (const stop of stops) await stop();
  await Promise.all(servers.map((s) => s.stop()));
});

const errorsOf = (result: { errors?: readonly unknown[] }) =>
  ((result.errors ?? []) as Array<{ message: string; path?: readonly (string | number)[] }>)
    .map((e) => ({ message: e.message, path: e.path ?? null }))
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
const codes = (result: GraphQLResponse) => (result.errors ?? []).map((e: any) => e.extensions?.code);

describe('entity keys chained through four subgraphs', () => {
  it('a shelf (ids only) gets labels (by upc) through the registry (id -> sku) and the warehouse (sku -> upc)', async () => {
    const query = '{ shelf { id name label } }';
    const [result, reference] = [await graphql(ours, query), await graphql(stock, query)];
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ shelf: [{ id: 'i1', name: 'Kettle', label: 'label 0001' }, { id: 'i2', name: 'Teapot', label: 'label 0002' }] });
    expect(result.data).toEqual(reference.data);
  });
});

describe('a subgraph refusing a variable (HTTP 400)', () => {
  it('on a root fetch: exactly its coded error, and the non-null root field takes data with it', async () => {
    const result = await graphql(ours, 'query Report($day: Day!) { report(day: $day) { count } }', { day: '2025-02-30' });
    expect(result.data).toBeNull();
    expect(result.errors).toHaveLength(1);
    expect(result.errors![0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'day', serviceName: 'shelf' } });
    expect(result.errors![0]!.message).toContain('Day must be a real calendar day');
  });

  it('on an entity fetch: one coded error, the fields it would have filled null, nothing else reported', async () => {
    const result = await graphql(ours, 'query Sold($day: Day!) { shelf { id soldOn(day: $day) } }', { day: '2025-13-01' });
    expect(result.data).toEqual({ shelf: [{ id: 'i1', soldOn: null }, { id: 'i2', soldOn: null }] });
    expect(codes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors![0]!.extensions).toMatchObject({ field: 'day', serviceName: 'registry' });
  });

  it('a valid variable goes through', async () => {
    const result = await graphql(ours, 'query Sold($day: Day!) { shelf { soldOn(day: $day) } report(day: $day) { count } }', { day: '2024-02-29' });
    expect(result).toMatchObject({ data: { shelf: [{ soldOn: 3 }, { soldOn: 3 }], report: { count: 2 } } });
    expect(result.errors).toBeUndefined();
  });
});

describe('value completion: nulls where the schema promises none, as graphql-js completes them', () => {
  const cases: Array<[string, string]> = [
    ['a non-null entity in a non-null list: the null climbs to data, one error at the entity', '{ sales { total top { units item { name } } } }'],
    ['inside nullable lists: each null stops at the nearest nullable position, every error has its path', '{ shelves { label items { id name tags } } }'],
    ['only the valid part selected: no error', '{ shelves { label } sales { total } }'],
  ];

  it.each(cases)('%s', async (_name, query) => {
    const [result, reference] = [await graphql(ours, query), await salesOracle(query)];
    expect(result.data).toEqual(JSON.parse(JSON.stringify(reference.data ?? null)));
    expect(errorsOf(result)).toEqual(errorsOf(reference));
    expect(codes(result).every((code: string) => code === 'INTERNAL_SERVER_ERROR')).toBe(true);
  });

  it('where the stock gateway answers data: null with no error at all', async () => {
    const query = '{ sales { total top { units item { name } } } }';
    const [result, reference] = [await graphql(ours, query), await graphql(stock, query)];
    expect(reference).toMatchObject({ data: null });
    expect(reference.errors).toBeUndefined();
    expect(errorsOf(result)).toEqual([{ message: 'Cannot return null for non-nullable field Top.item.', path: ['sales', 'top', 1, 'item'] }]);
  });
});

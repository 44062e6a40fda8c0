import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildSchema, graphql, GraphQLError, GraphQLScalarType, Kind, parse } from 'graphql';
import { createSubgraphServer, type RequestBase, type SubgraphServer } from '@shop/subgraph-kit';
import { keySet, logger } from './fixtures.js';
import { TEST_INTERNAL_CALLS } from '@shop/testing';

// Subgraphs for the federation semantics the stock gateway gets wrong or leaves out: keys that
// chain through four subgraphs, subgraphs refusing a variable, and a subgraph that breaks its
// own schema's non-null promises (answered, for comparison, by graphql-js itself).
const LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])';

/** A day as `YYYY-MM-DD` that exists in the calendar; anything else is refused, as DateTime is in the shop. */
const Day = new GraphQLScalarType({
  name: 'Day',
  parseValue(value) {
    const day = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00Z`) : null;
    if (!day || Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== value) throw new GraphQLError(`Day must be a real calendar day, got ${JSON.stringify(value)}`);
    return value;
  },
  parseLiteral: (node) => (node.kind === Kind.STRING ? node.value : null),
  serialize: (value) => value,
});

// Item is known by id on the shelf, by id and sku in the registry, by sku and upc in the
// warehouse, and by upc alone at the labeller: a shelf's labels take three key hops.
export const chainSdls = {
  shelf: parse(`${LINK}
    scalar Day
    type Item @key(fields: "id") { id: ID! }
    type Report { day: Day! count: Int! }
    type Query { shelf: [Item!]! report(day: Day!): Report! }`),
  registry: parse(`${LINK}
    scalar Day
    type Item @key(fields: "id") @key(fields: "sku") { id: ID! sku: String! name: String! soldOn(day: Day!): Int }`),
  warehouse: parse(`${LINK}
    type Item @key(fields: "sku") @key(fields: "upc") { sku: String! upc: String! }`),
  labeller: parse(`${LINK}
    type Item @key(fields: "upc") { upc: String! label: String! }`),
};

const items = [
  { id: 'i1', sku: 'SKU-1', upc: '0001', name: 'Kettle' },
  { id: 'i2', sku: 'SKU-2', upc: '0002', name: 'Teapot' },
];
const server = (name: string, resolvers: Record<string, unknown>) =>
  createSubgraphServer<RequestBase>({ name, typeDefs: chainSdls[name as keyof typeof chainSdls], internalCalls: TEST_INTERNAL_CALLS, accessTokens: keySet, logger, context: (base) => base, resolvers: resolvers as never });
const find = (ref: Record<string, string>) => items.find((item) => Object.entries(ref).every(([key, value]) => key === '__typename' || item[key as 'id'] === value)) ?? null;

export const chainSubgraphs = {
  shelf: () =>
    server('shelf', {
      Day,
      Query: { shelf: () => items.map(({ id }) => ({ id })), report: (_: unknown, args: { day: string }) => ({ day: args.day, count: 2 }) },
    }),
  registry: () => server('registry', { Day, Item: { __resolveReference: find, soldOn: () => 3 } }),
  warehouse: () => server('warehouse', { Item: { __resolveReference: find } }),
  labeller: () => server('labeller', { Item: { __resolveReference: (ref: { upc: string }) => ({ upc: ref.upc, label: `label ${ref.upc}` }) } }),
};

// A sales subgraph that breaks its schema's promises: it answers from a schema with every `!`
// removed, so nulls land where the supergraph says they cannot, without an error.
const SALES_TYPES = `
  type Query { sales: Sales! shelves: [Shelf] }
  type Sales { total: Int! top: [Top!]! }
  type Top { units: Int! item: Article! }
  type Article { id: ID! name: String! tags: [String!] }
  type Shelf { label: String items: [Article!] }
`;
export const salesSdl = parse(`${LINK} ${SALES_TYPES}`);
const salesData = {
  sales: { total: 5, top: [{ units: 3, item: { id: 'i1', name: 'Kettle', tags: [] } }, { units: 2, item: null }] },
  shelves: [
    { label: 'A', items: [{ id: 'i1', name: null, tags: ['steel'] }] },
    { label: 'B', items: [{ id: 'i2', name: 'Teapot', tags: ['clay', null] }] },
    { label: null, items: [] },
  ],
};

/** What graphql-js itself answers for `query` over the sales schema as declared, on the same data. */
export function salesOracle(query: string) {
  return graphql({ schema: buildSchema(SALES_TYPES), source: query, rootValue: salesData });
}

/** The lax sales subgraph over plain HTTP; the router only needs its answers. */
export async function startLaxSales(): Promise<{ url: string; stop(): Promise<void> }> {
  const lax = buildSchema(SALES_TYPES.replaceAll('!', ''));
  const http: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      const { query, variables } = JSON.parse(body) as { query: string; variables?: Record<string, unknown> };
      void graphql({ schema: lax, source: query, variableValues: variables ?? {}, rootValue: salesData }).then((result) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(result));
      });
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}/graphql`,
    stop: () => new Promise<void>((resolve) => http.close(() => resolve())),
  };
}

export type ChainName = keyof typeof chainSubgraphs;
export type { SubgraphServer };

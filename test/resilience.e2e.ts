import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server, type Socket } from 'node:net';
import { graphql } from '@shop/testing';
import { startSupergraph, type Supergraph } from './support/supergraph.js';

// One subgraph down must blank only its own fields: the catalogue page still arrives with names
// and prices, and stock is null with SUBGRAPH_UNAVAILABLE at each stock path, whether inventory
// refuses connections or accepts them and never answers (the router's per-subgraph deadline).
const PAGE = '{ products(first: 2) { edges { node { name price { amount } stock { available } } } } }';

let sg: Supergraph;
let stuck: { server: Server; sockets: Set<Socket> } | null = null;

beforeAll(async () => {
  sg = await startSupergraph({
    // A short deadline for inventory keeps the stuck case quick, yet long enough for a loaded machine to
    // answer the healthy case in time; the breaker stays out of the way here.
    router: { options: { subgraphTimeouts: { inventory: 2_000 }, circuitBreaker: { failureThreshold: 1000 } } },
  });
});

afterAll(async () => {
  if (stuck) {
    for (const socket of stuck.sockets) socket.destroy();
    await new Promise((resolve) => stuck!.server.close(resolve));
  }
  await sg?.stop();
});

async function expectPageWithoutStock(query = PAGE, field = 'stock') {
  const result = await graphql(sg.url, query);
  expect(result.status).toBe(200);
  const nodes = result.data.products.edges.map((e: any) => e.node);
  expect(nodes).toHaveLength(2);
  for (const node of nodes) {
    expect(node.name).toEqual(expect.any(String));
    expect(node[field]).toBeNull();
    if (query === PAGE) expect(node.price.amount).toMatch(/^\d+\.\d{2}$/);
  }
  expect(result.errors!.map((e) => [e.path, e.extensions?.code, e.extensions?.serviceName])).toEqual(
    [0, 1].map((i) => [['products', 'edges', i, 'node', field], 'SUBGRAPH_UNAVAILABLE', 'inventory']),
  );
}

describe('inventory down behind the router', () => {
  it('serves stock while inventory is up', async () => {
    const result = await graphql(sg.url, PAGE);
    expect(result.errors).toBeUndefined();
    expect(result.data.products.edges[0].node.stock.available).toEqual(expect.any(Number));
  });

  it('unreachable: names and prices arrive, stock is null with SUBGRAPH_UNAVAILABLE at its paths', async () => {
    await sg.subgraphs.inventory!.stop();
    await expectPageWithoutStock();
    await expectPageWithoutStock('{ products(first: 2) { edges { node { name inStock } } } }', 'inStock');
  });

  it('stuck (accepts connections, never answers): the same, once its deadline passes', async () => {
    const port = Number(new URL(sg.stack.urls.inventory!).port);
    const sockets = new Set<Socket>();
    const server = createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => socket.destroy());
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    stuck = { server, sockets };
    await expectPageWithoutStock();
    expect(sockets.size).toBeGreaterThan(0);
  });
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { graphql, testRouterKey } from '@shop/testing';
import { composeSupergraph, createRouter, type Router } from '../src/index.js';
import { catalog, catalogSdl, logger, manualClock, prices, pricesSdl } from './fixtures.js';

type Mode = 'up' | 'down' | 'stuck';

/**
 * A TCP stand-in for a subgraph's host: forwards to the real subgraph, refuses every connection
 * (a crashed process), or accepts and never answers (a stuck one). Counts connections, so a test
 * sees whether the router still reaches out.
 */
async function switchable(targetPort: number) {
  let mode: Mode = 'up';
  let connections = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    if (mode === 'down') return socket.destroy();
    if (mode === 'stuck') return;
    const upstream = connect(targetPort, '127.0.0.1');
    upstream.on('error', () => socket.destroy());
    socket.on('close', () => upstream.destroy());
    socket.pipe(upstream).pipe(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    connections: () => connections,
    setMode(next: Mode) {
      mode = next;
      // Pooled keep-alive connections go too, as they would with the process.
      for (const socket of sockets) socket.destroy();
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const QUERY = '{ items(first: 2) { id name price } }';
const servers = [catalog(), prices()];
const clock = manualClock();
let pricesHost: Awaited<ReturnType<typeof switchable>>;
let router: Router;
let url: string;

beforeAll(async () => {
  const [c, p] = await Promise.all(servers.map((s) => s.listen(0, '127.0.0.1')));
  pricesHost = await switchable(p!.port);
  const { supergraphSdl } = composeSupergraph([
    { name: 'catalog', url: c!.url, typeDefs: catalogSdl },
    { name: 'prices', url: pricesHost.url, typeDefs: pricesSdl },
  ]);
  router = createRouter({ serviceKey: await testRouterKey(),
    supergraphSdl,
    logger,
    clock,
    subgraphTimeouts: { prices: 200 },
    circuitBreaker: { failureThreshold: 3, openMs: 10_000 },
  });
  url = (await router.listen(0, '127.0.0.1')).url;
});

afterAll(async () => {
  await router.stop();
  await pricesHost.close();
  await Promise.all(servers.map((s) => s.stop()));
});

/** The page arrives; only the prices are missing, each with SUBGRAPH_UNAVAILABLE at its path. */
async function expectPricesUnavailable() {
  const result = await graphql(url, QUERY);
  expect(result.status).toBe(200);
  expect(result.data.items).toEqual([
    { id: 'i1', name: 'Item 1', price: null },
    { id: 'i2', name: 'Item 2', price: null },
  ]);
  expect(result.errors!.map((e) => [e.path, e.extensions?.code, e.extensions?.serviceName])).toEqual([
    [['items', 0, 'price'], 'SUBGRAPH_UNAVAILABLE', 'prices'],
    [['items', 1, 'price'], 'SUBGRAPH_UNAVAILABLE', 'prices'],
  ]);
}

async function expectPrices() {
  const result = await graphql(url, QUERY);
  expect(result.errors).toBeUndefined();
  expect(result.data.items.map((i: { price: string }) => i.price)).toEqual(['1.99', '2.99']);
}

describe('a failing subgraph behind the router', () => {
  it('times out when it is stuck, then fails fast once its circuit opens, and is probed back', async () => {
    await expectPrices();
    pricesHost.setMode('stuck');
    for (let i = 0; i < 3; i++) await expectPricesUnavailable();
    const reached = pricesHost.connections();

    // Open: answered at once, without a connection (no timeout to sit through).
    await expectPricesUnavailable();
    pricesHost.setMode('up');
    await expectPricesUnavailable();
    expect(pricesHost.connections()).toBe(reached);

    // After the open period one probe goes through; it succeeds, and the circuit closes.
    clock.advance(10_000);
    await expectPrices();
    await expectPrices();
    expect(pricesHost.connections()).toBeGreaterThan(reached);
  });

  it('opens again when the probe fails, and refused connections count as failures too', async () => {
    pricesHost.setMode('down');
    for (let i = 0; i < 3; i++) await expectPricesUnavailable();
    clock.advance(10_000);
    const before = pricesHost.connections();
    await expectPricesUnavailable(); // the probe, refused
    expect(pricesHost.connections()).toBe(before + 1);
    await expectPricesUnavailable(); // open again: no connection
    expect(pricesHost.connections()).toBe(before + 1);

    pricesHost.setMode('up');
    clock.advance(10_000);
    await expectPrices();
  });
});

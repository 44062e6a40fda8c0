import { writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buy, registerCustomer } from './customers.js';
import { loadInProcess, startGatewayProcess, stopProcess } from './processes.js';
import { freePort, startBenchStack, table, writeResult } from './support.js';

const PRODUCT_PAGE = `query ProductPage($id: ID!) { product(id: $id) { id sku name description
  price { amount currencyCode } basePrice { amount currencyCode } images { url alt }
  variants { sku name size color price { amount } } category { name slug }
  rating { average count } stock { available } inStock } }`;
const ORDER_HISTORY = `query OrderHistory { me { orders(first: 20) { totalCount edges { node {
  orderNumber status createdAt total { amount currencyCode }
  items { quantity unitPrice { amount } product { name sku } } } } } } }`;

/**
 * Router throughput and latency on the product-page and order-history queries: our router
 * against a plain @apollo/gateway and @graphql-hive/gateway, each in its own process over the
 * same subgraphs, with the load generated from a third process.
 */
export async function routerBench(options: { seconds: number; connections: number }) {
  const bench = await startBenchStack();
  try {
    const url = bench.stack.routerUrl;
    const customer = await registerCustomer(url, 'history@bench.local');
    for (let i = 0; i < 20; i++) {
      const items = [0, 1, 2].map((k) => ({ productId: bench.productIds[(i * 3 + k) % bench.productIds.length]!, quantity: 1 + k }));
      const result = await buy(url, customer, items, `history-order-${i}`);
      if (!result.orderId) throw new Error(`could not place history order: ${result.code}`);
    }
    const dir = await mkdtemp(join(tmpdir(), 'shop-bench-sg-'));
    const supergraphPath = join(dir, 'supergraph.graphql');
    writeFileSync(supergraphPath, bench.stack.supergraphSdl);

    const operations = [
      { name: 'product page', body: JSON.stringify({ query: PRODUCT_PAGE, variables: { id: bench.productIds[7] } }), headers: {} },
      { name: 'order history', body: JSON.stringify({ query: ORDER_HISTORY }), headers: { authorization: `Bearer ${customer.token}` } },
    ];
    const gateways = [
      { name: 'shop router', kind: 'router' as const },
      { name: '@apollo/gateway', kind: 'apollo' as const },
      { name: '@graphql-hive/gateway', kind: 'hive' as const },
    ];
    const rows: Array<Record<string, string | number>> = [];
    for (const gateway of gateways) {
      const port = await freePort();
      const child = await startGatewayProcess(gateway.kind, {
        PORT: String(port),
        SUPERGRAPH_PATH: supergraphPath,
        JWKS_URL: new URL('/.well-known/jwks.json', bench.stack.urls.users!).toString(),
        RATE_LIMIT_PER_MINUTE: '0',
      });
      try {
        for (const operation of operations) {
          const result = await loadInProcess({
            url: `http://127.0.0.1:${port}/graphql`,
            body: operation.body,
            headers: operation.headers,
            connections: options.connections,
            seconds: options.seconds,
            warmupSeconds: Math.min(3, options.seconds),
          });
          rows.push({ gateway: gateway.name, operation: operation.name, 'req/s': result.rps, 'p50 ms': result.p50, 'p90 ms': result.p90, 'p99 ms': result.p99, requests: result.requests, errors: result.errors });
        }
      } finally {
        await stopProcess(child);
      }
    }
    process.stdout.write(`\nRouter throughput (${options.connections} connections, ${options.seconds} s per row, load from a separate process)\n`);
    table(rows);
    return { connections: options.connections, seconds: options.seconds, rows };
  } finally {
    await bench.stop();
  }
}

export const runRouterBench = async (seconds: number, connections: number) =>
  writeResult('router', await routerBench({ seconds, connections }));

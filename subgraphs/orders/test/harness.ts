import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { readConfig } from '@shop/config';
import { createPostgres, type Postgres } from '@shop/postgres';
import { signAccessToken, type CallerRole } from '@shop/subgraph-kit';
import { createTestDatabase, graphqlOk } from '@shop/testing';
import type { Catalog } from '../src/catalog.js';
import { buildOrdersConfig } from '../src/config.js';
import type { OrdersDatabase } from '../src/db/schema.js';
import { createOrdersSubgraph, type OrdersSubgraph } from '../src/server.js';

export const JWT_SECRET = 'orders-test-secret-at-least-32-characters-long';

export function token(userId: string, role: CallerRole = 'CUSTOMER'): Promise<string> {
  return signAccessToken({ userId, role }, { secret: JWT_SECRET, ttlSeconds: 900 });
}

export interface ProductsStandIn {
  url: string;
  /** Every `_entities` request received: the product ids asked for. */
  requests: string[][];
  setPrice(productId: string, amount: string, currencyCode?: string): void;
  stop(): Promise<void>;
}

/**
 * A stand-in for the products subgraph over real HTTP: answers the `_entities` price query
 * from a price list (null for an unknown product) and records each request.
 */
export async function startProductsStandIn(prices: Record<string, string>, currencyCode = 'EUR'): Promise<ProductsStandIn> {
  const list = new Map(Object.entries(prices).map(([id, amount]) => [id, { amount, currencyCode }]));
  const requests: string[][] = [];
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
    req.on('end', () => {
      const body = JSON.parse(raw) as { query: string; variables: { r: Array<{ __typename: string; id: string }> } };
      if (!body.query.includes('_entities') || !body.query.includes('... on Product')) {
        res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ message: 'unexpected query' }] }));
        return;
      }
      requests.push(body.variables.r.map((rep) => rep.id));
      const entities = body.variables.r.map((rep) => {
        const price = list.get(rep.id);
        return price ? { id: rep.id, price } : null;
      });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: { _entities: entities } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    requests,
    setPrice: (id, amount, code = currencyCode) => void list.set(id, { amount, currencyCode: code }),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface Harness {
  url: string;
  subgraph: OrdersSubgraph;
  /** A separate connection to the subgraph's database, to count rows behind the API's back. */
  store: Postgres<OrdersDatabase>;
  rowCounts(): Promise<{ orders: number; items: number; history: number }>;
  stop(): Promise<void>;
}

/** The orders subgraph on a fresh database and a free port, priced by `productsUrl` or `catalog`. */
export async function startOrders(options: { productsUrl?: string; catalog?: Catalog }): Promise<Harness> {
  const databaseUrl = await createTestDatabase('orders');
  const { config } = readConfig(
    {
      DATABASE_URL: databaseUrl,
      PRODUCTS_URL: options.productsUrl,
      JWT_SECRET,
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    },
    buildOrdersConfig,
  );
  const subgraph = await createOrdersSubgraph(config, options.catalog ? { catalog: options.catalog } : {});
  const { url } = await subgraph.listen(0, '127.0.0.1');
  const store = createPostgres<OrdersDatabase>({ url: databaseUrl, maxConnections: 2 });
  return {
    url,
    subgraph,
    store,
    async rowCounts() {
      const { rows } = await sql<{ orders: number; items: number; history: number }>`
        SELECT (SELECT count(*) FROM orders) AS orders,
               (SELECT count(*) FROM order_items) AS items,
               (SELECT count(*) FROM order_status_history) AS history`.execute(store.db);
      return rows[0]!;
    },
    async stop() {
      await subgraph.stop();
      await store.destroy();
    },
  };
}

export const ORDER_FIELDS = `
  id orderNumber status createdAt
  user { id }
  items { product { id } quantity unitPrice { amount currencyCode } lineTotal { amount currencyCode } }
  subtotal { amount currencyCode }
  total { amount currencyCode }
  statusHistory { status at }
`;

export const CHECKOUT = `mutation($input: CheckoutInput!) { checkout(input: $input) { ${ORDER_FIELDS} } }`;

let keys = 0;
/** A fresh idempotency key per call. */
export function newKey(): string {
  keys += 1;
  return `test-key-${Date.now()}-${keys}`;
}

/** Places an order through the API and returns its id. */
export async function placeOrder(
  url: string,
  userToken: string,
  items: Array<{ productId: string; quantity: number }>,
): Promise<string> {
  const data = await graphqlOk<{ checkout: { id: string } }>(url, CHECKOUT, { input: { idempotencyKey: newKey(), items } }, { token: userToken });
  return data.checkout.id;
}

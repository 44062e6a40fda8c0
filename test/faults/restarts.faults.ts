import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { createClient, type Client } from 'graphql-ws';
import pg from 'pg';
import WebSocket from 'ws';
import { graphqlOk } from '@shop/testing';
import { startProcessSupergraph, type ProcessSupergraph } from '../support/processes.js';
import {
  adminToken,
  bounded,
  buyOne,
  eventually,
  HUNG_AFTER_MS,
  isHung,
  minor,
  registerBuyer,
  runLoad,
  stockOf,
  until,
  type Buyer,
  type PlacedOrder,
} from './shop.js';

// `npm start -- --processes` (PostgreSQL, redis-server, ten subgraphs, the router, each its own
// process) under load while one piece dies or restarts. Customers keep buying the whole time,
// retrying a failed step as a careful client does (same cart, same idempotency key); afterwards
// every order is paid once, and stock, payments and the sales report add up to exactly what they
// bought: nothing lost, nothing doubled.
const PAGE = '{ products(first: 5) { edges { node { id name price { amount } stock { available } } } } }';
const INITIAL_STOCK = 100_000;

let sg: ProcessSupergraph;
let admin: string;
let productId: string;
let buyers: Buyer[];
const orders: PlacedOrder[] = [];
let hung = 0;

beforeAll(async () => {
  sg = await startProcessSupergraph({
    // Long enough to see readiness go false while a stopping process still serves.
    serviceEnv: { SHUTDOWN_DELAY_MS: '2000' },
    // A write held by a row lock must not hit the router's deadline while the test looks around.
    routerEnv: { SHUTDOWN_DELAY_MS: '2000', SUBGRAPH_INVENTORY_TIMEOUT_MS: '60000' },
  });
  admin = await adminToken(sg.routerUrl);
  productId = (await graphqlOk(sg.routerUrl, '{ products(first: 1) { edges { node { id } } } }')).products.edges[0].node.id;
  await graphqlOk(sg.routerUrl, 'mutation($id: ID!, $q: Int!) { setStock(productId: $id, quantity: $q) { id } }', { id: productId, q: INITIAL_STOCK }, { token: admin });
  // One worker per customer: a signed-in customer's carts merge into one, which a second
  // checkout of theirs running meanwhile would empty.
  buyers = await Promise.all(Array.from({ length: 3 }, () => registerBuyer(sg.routerUrl)));
}, 300_000);

afterAll(async () => {
  await sg?.stop();
});

/** Customers buying one unit after another until stopped; `onError` hears of every failed step. */
function startBuying(onError?: (step: string, error: string) => void) {
  return runLoad(buyers.length, async (worker) => {
    orders.push(await buyOne(sg.routerUrl, buyers[worker]!, productId, { onHung: () => (hung += 1), ...(onError ? { onError } : {}) }));
  });
}

type PageOutcome = 'full' | 'partial' | 'hung' | string;

/** A catalogue page: complete, or names and prices with stock null and SUBGRAPH_UNAVAILABLE at each stock path. */
async function readPage(): Promise<PageOutcome> {
  let result;
  try {
    result = await bounded(sg.routerUrl, PAGE);
  } catch (error) {
    return isHung(error) ? 'hung' : `failed: ${(error as Error).message}`;
  }
  const nodes = result.data?.products?.edges?.map((edge: { node: any }) => edge.node) ?? [];
  if (nodes.length !== 5 || nodes.some((node: any) => typeof node.name !== 'string' || !node.price?.amount)) return `no page: ${JSON.stringify(result)}`;
  if (!result.errors) return nodes.every((node: any) => typeof node.stock?.available === 'number') ? 'full' : `stock missing: ${JSON.stringify(result)}`;
  const expected = nodes.map((_: unknown, i: number) => `products.edges.${i}.node.stock SUBGRAPH_UNAVAILABLE inventory`);
  const got = result.errors.map((e) => `${e.path?.join('.')} ${e.extensions?.code} ${e.extensions?.serviceName}`);
  return JSON.stringify(got) === JSON.stringify(expected) && nodes.every((node: any) => node.stock === null) ? 'partial' : `other: ${JSON.stringify(result)}`;
}

/** An APQ request as Apollo Client sends it. */
async function persisted(body: object): Promise<{ data?: any; errors?: Array<{ extensions?: Record<string, unknown> }> }> {
  const response = await fetch(sg.routerUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(HUNG_AFTER_MS),
  });
  return response.json() as Promise<{ data?: any; errors?: Array<{ extensions?: Record<string, unknown> }> }>;
}

/** Everything bought so far is paid, and stock, payments and the sales report agree with it. */
async function expectReconciled() {
  const sold = orders.reduce((n, order) => n + order.quantity, 0);
  const stock = await eventually(() => stockOf(sg.routerUrl, productId), (s) => s?.available === INITIAL_STOCK - sold && s.reserved === 0);
  expect(stock).toEqual({ available: INITIAL_STOCK - sold, reserved: 0 });
  const from = new Date(Date.now() - 86_400_000).toISOString();
  const to = new Date(Date.now() + 86_400_000).toISOString();
  const report = await eventually(
    async () => (await graphqlOk(sg.routerUrl, 'query($f: DateTime!, $t: DateTime!) { salesReport(from: $f, to: $t) { orderCount revenue { amount } } }', { f: from, t: to }, { token: admin })).salesReport,
    (r: any) => r?.orderCount === orders.length,
  );
  const revenue = orders.reduce((total, order) => total + minor(order.total), 0);
  expect({ orderCount: report.orderCount, revenue: minor(report.revenue.amount) }).toEqual({ orderCount: orders.length, revenue });
  const ids = orders.map((order) => order.id);
  expect(new Set(ids).size).toBe(ids.length);
  // The ledgers themselves: one order row per order, one PAID step and one successful payment each.
  const ledger = await sql(
    'orders',
    `SELECT count(*)::int AS orders, count(*) FILTER (WHERE paid = 1)::int AS paid_once
       FROM (SELECT o.id, (SELECT count(*) FROM order_status_history h WHERE h.order_id = o.id AND h.status = 'PAID') AS paid FROM orders o) t`,
  );
  expect(ledger).toEqual([{ orders: orders.length, paid_once: orders.length }]);
  const payments = await sql(
    'payments',
    `SELECT count(DISTINCT order_id)::int AS orders, count(*)::int AS succeeded, coalesce(sum(amount_minor), 0)::int AS minor
       FROM payments WHERE status = 'SUCCEEDED'`,
  );
  expect(payments).toEqual([{ orders: orders.length, succeeded: orders.length, minor: revenue }]);
  for (const buyer of buyers) {
    const mine = await eventually(
      async () => (await graphqlOk(sg.routerUrl, '{ me { orders(first: 100) { edges { node { id status payment { status } } } } } }', {}, { token: buyer.token })).me.orders.edges.map((e: any) => e.node),
      (nodes: any[]) => nodes.every((node) => node.status === 'PAID'),
    );
    for (const node of mine) expect(node).toEqual({ id: expect.any(String), status: 'PAID', payment: { status: 'SUCCEEDED' } });
  }
  expect(hung).toBe(0);
}

async function sql(database: string, text: string): Promise<unknown[]> {
  const client = new pg.Client({ connectionString: sg.databaseUrl(database) });
  await client.connect();
  try {
    return (await client.query(text)).rows;
  } finally {
    await client.end();
  }
}

/** How often each subgraph process was restarted: a service that reconnects is never restarted. */
function serviceRestarts(): Record<string, number> {
  const status = sg.supervisor.status();
  return Object.fromEntries(Object.entries(status).filter(([name]) => !['postgres', 'redis'].includes(name)).map(([name, s]) => [name, s.restarts]));
}

describe('one process per service, under load', () => {
  it('a subgraph killed with SIGKILL: partial pages with SUBGRAPH_UNAVAILABLE, none hangs, the supervisor brings it back, no event lost', async () => {
    const outcomes: PageOutcome[] = [];
    const readers = runLoad(3, async () => void outcomes.push(await readPage()));
    const buying = startBuying();
    await until('full pages and a first order', () => outcomes.includes('full') && orders.length > 0);

    const pid = sg.supervisor.pid('inventory')!;
    process.kill(pid, 'SIGKILL');
    const killedAt = outcomes.length;
    await until('a partial page', () => outcomes.slice(killedAt).includes('partial'));
    await sg.supervisor.whenUp('inventory', 120_000);
    const backAt = outcomes.length;
    const ordersBack = orders.length;
    await until('full pages again', () => outcomes.slice(backAt).includes('full'));
    await until('orders placed after the restart', () => orders.length >= ordersBack + 2);
    await Promise.all([readers.stop(), buying.stop()]);

    expect(outcomes.filter((o) => o !== 'full' && o !== 'partial')).toEqual([]);
    expect(sg.supervisor.pid('inventory')).not.toBe(pid);
    expect(sg.output).toContain('supervisor: inventory exited (signal SIGKILL); restart 1 in 0.2 s');
    expect(sg.output.some((line) => line.startsWith('supervisor: inventory is back'))).toBe(true);
    const health = (await (await fetch(sg.routerUrl.replace(/graphql$/, 'health'))).json()) as any;
    expect(health.subgraphs.inventory).toBe('up');
    expect(health.processes.inventory).toMatchObject({ state: 'up', restarts: 1, lastExit: { signal: 'SIGKILL' } });
    await expectReconciled();
    process.stdout.write(
      `SIGKILL inventory: ${outcomes.length} pages (${outcomes.filter((o) => o === 'partial').length} partial), ${orders.length} orders\n`,
    );
  });

  it('Redis restarted: carts survive, subscriptions resume, caches and rate limits degrade without errors, events flow again', async () => {
    const restartsBefore = serviceRestarts();
    const carts: Array<{ id: string; quantity: number }> = [];
    for (const quantity of [1, 2, 3]) {
      const cart = await graphqlOk(sg.routerUrl, 'mutation($p: ID!, $q: Int!) { addToCart(productId: $p, quantity: $q) { id } }', { p: productId, q: quantity });
      carts.push({ id: cart.addToCart.id, quantity });
    }
    // A stock subscriber on the router, on another product than the one bought; the client never
    // reconnects by itself (retryAttempts 0), so events after the restart prove the server side resumed.
    const watchedId = (await graphqlOk(sg.routerUrl, '{ products(first: 2) { edges { node { id } } } }')).products.edges[1].node.id;
    const ws: Client = createClient({ url: sg.routerUrl.replace(/^http/, 'ws'), webSocketImpl: WebSocket, retryAttempts: 0 });
    const seen: number[] = [];
    let ended: unknown = null;
    ws.subscribe(
      { query: 'subscription($ids: [ID!]) { stockChanged(productIds: $ids) { id stock { available } } }', variables: { ids: [watchedId] } },
      { next: (result: any) => void seen.push(result.data?.stockChanged?.stock?.available), error: (error) => (ended = error), complete: () => (ended = 'complete') },
    );
    const setStock = (quantity: number) =>
      graphqlOk(sg.routerUrl, 'mutation($id: ID!, $q: Int!) { setStock(productId: $id, quantity: $q) { id } }', { id: watchedId, q: quantity }, { token: admin });
    // Set again until the subscription is live and reports it.
    await eventually(() => setStock(10), () => seen.includes(10), 30_000);
    expect(seen).toContain(10);

    // The page as an APQ client asks for it (the router's APQ cache is in Redis).
    const apq = { persistedQuery: { version: 1, sha256Hash: createHash('sha256').update(PAGE).digest('hex') } };
    const pageErrors: string[] = [];
    const readers = runLoad(3, async () => {
      try {
        let result = await persisted({ extensions: apq });
        if (result.errors?.[0]?.extensions?.code === 'PERSISTED_QUERY_NOT_FOUND') result = await persisted({ query: PAGE, extensions: apq });
        if (result.errors || result.data?.products?.edges?.length !== 5) pageErrors.push(JSON.stringify(result));
      } catch (error) {
        pageErrors.push(isHung(error) ? 'hung' : (error as Error).message);
      }
    });
    const ordered = orders.length;
    const buying = startBuying();
    await until('an order under way', () => orders.length > ordered);

    const pid = sg.supervisor.pid('redis')!;
    process.kill(pid, 'SIGTERM');
    await until('redis gone', () => sg.supervisor.pid('redis') !== pid, 30_000);
    await sg.supervisor.whenUp('redis', 60_000);
    const ordersBack = orders.length;
    await until('orders placed after the restart', () => orders.length >= ordersBack + 2);
    await Promise.all([readers.stop(), buying.stop()]);

    expect(pageErrors).toEqual([]);
    for (const cart of carts) {
      const kept = await graphqlOk(sg.routerUrl, 'query($id: ID!) { cart(id: $id) { items { quantity product { id } } } }', { id: cart.id });
      expect(kept.cart.items).toEqual([{ quantity: cart.quantity, product: { id: productId } }]);
    }
    // The same subscription hears a change made after the restart.
    await setStock(77);
    await until('the stock event after the restart', () => seen.includes(77), 60_000);
    expect(ended).toBeNull();
    await ws.dispose();
    expect(serviceRestarts()).toEqual(restartsBefore);
    await expectReconciled();
  });

  it('PostgreSQL restarted during checkouts: services reconnect, no order, payment or stock change lost or doubled', async () => {
    await expectReconciled();
    const restartsBefore = serviceRestarts();
    const ordered = orders.length;
    const stepErrors: string[] = [];
    const buying = startBuying((step, error) => void stepErrors.push(`${step}: ${error}`));
    await until('checkouts under way', () => orders.length >= ordered + 2);
    const pid = sg.supervisor.pid('postgres')!;
    process.kill(pid, 'SIGTERM');
    await until('postgres gone', () => sg.supervisor.pid('postgres') !== pid, 60_000);
    await sg.supervisor.whenUp('postgres', 120_000);
    const ordersBack = orders.length;
    await until('checkouts after the restart', () => orders.length >= ordersBack + 4);
    await buying.stop();

    // Steps failed while the database was away (the client retried them); no service died of it.
    expect(stepErrors.length).toBeGreaterThan(0);
    expect(serviceRestarts()).toEqual(restartsBefore);
    await expectReconciled();
    process.stdout.write(`PostgreSQL restart: ${orders.length - ordered} orders placed around it, ${stepErrors.length} steps retried\n`);
  });

  it('SIGTERM: readiness false first, in-flight requests finish, WebSockets close with 1012 and clients reconnect, exit 0', async () => {
    const watchedId = (await graphqlOk(sg.routerUrl, '{ products(first: 3) { edges { node { id } } } }')).products.edges[2].node.id;
    const setStock = (quantity: number) =>
      bounded(sg.routerUrl, 'mutation($id: ID!, $q: Int!) { setStock(productId: $id, quantity: $q) { stock { available } } }', { id: watchedId, q: quantity }, admin);
    const closes: number[] = [];
    const seen: number[] = [];
    // A storefront's client as router/README.md configures it: graphql-ws reconnects and
    // resubscribes after 1012, and `shouldRetry` keeps trying while the only router restarts.
    const ws = createClient({
      url: sg.routerUrl.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      retryAttempts: 20,
      shouldRetry: () => true,
      on: { closed: (event: any) => void closes.push(event.code) },
    });
    ws.subscribe(
      { query: 'subscription($ids: [ID!]) { stockChanged(productIds: $ids) { stock { available } } }', variables: { ids: [watchedId] } },
      { next: (result: any) => void seen.push(result.data?.stockChanged?.stock?.available), error: () => undefined, complete: () => undefined },
    );
    await eventually(() => setStock(11), () => seen.includes(11), 30_000);
    expect(seen).toContain(11);

    /** Stops `name` with SIGTERM while a stock write through it waits on a row lock; the write still completes. */
    const stopWithWriteInFlight = async (name: string, healthUrl: string, quantity: number) => {
      const lock = new pg.Client({ connectionString: sg.databaseUrl('inventory') });
      await lock.connect();
      try {
        await lock.query('BEGIN');
        await lock.query('SELECT 1 FROM stock_levels WHERE product_id = $1 FOR UPDATE', [watchedId]);
        const write = setStock(quantity);
        await eventually(
          async () => (await lock.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock'")).rows[0].n,
          (n) => n > 0,
          30_000,
        );
        const pid = sg.supervisor.pid(name)!;
        process.kill(pid, 'SIGTERM');
        const readiness = await eventually(
          async () => (await fetch(healthUrl, { signal: AbortSignal.timeout(5000) })).status,
          (status) => status === 503,
          30_000,
        );
        expect(readiness).toBe(503);
        await lock.query('COMMIT');
        const written = await write;
        expect({ errors: written.errors, data: written.data }).toEqual({ errors: undefined, data: { setStock: { stock: { available: quantity } } } });
        await until(`${name} restarted after a clean exit`, () => sg.supervisor.pid(name) !== pid, 60_000);
        expect(sg.supervisor.status()[name]!.lastExit).toMatchObject({ code: 0, signal: null });
        await sg.supervisor.whenUp(name, 120_000);
      } finally {
        await lock.end();
      }
    };

    // A subgraph: the router's own socket to it is closed with 1012 and it resubscribes; the client sees nothing.
    await stopWithWriteInFlight('inventory', sg.urls.inventory!.replace(/graphql$/, 'health/ready'), 22);
    await eventually(() => setStock(33), () => seen.includes(33), 60_000);
    expect(seen).toContain(33);
    expect(closes).toEqual([]);

    // The router: the client's socket is closed with 1012; it reconnects to the restarted router and resubscribes.
    await stopWithWriteInFlight('router', sg.routerUrl.replace(/graphql$/, 'health/ready'), 44);
    expect(closes[0]).toBe(1012);
    await eventually(() => setStock(55), () => seen.includes(55), 60_000);
    expect(seen).toContain(55);
    await ws.dispose();
  });

  it('one stop ends every process in order, routers first and PostgreSQL last, each Node process with exit code 0', async () => {
    const pids = Object.fromEntries(Object.entries(sg.supervisor.status()).map(([name, status]) => [name, status.pid!]));
    await sg.supervisor.stop();
    const status = sg.supervisor.status();
    expect(Object.values(status).map((s) => s.state)).toEqual(Object.keys(status).map(() => 'stopped'));
    for (const [name, pid] of Object.entries(pids)) {
      expect({ name, alive: isAlive(pid) }).toEqual({ name, alive: false });
      if (name !== 'postgres' && name !== 'redis') expect({ name, exit: status[name]!.lastExit }).toMatchObject({ name, exit: { code: 0, signal: null } });
    }
    const stoppedAt = (name: string) => Date.parse(status[name]!.lastExit!.at);
    const services = Object.keys(status).filter((name) => !['router', 'redis', 'postgres'].includes(name));
    expect(services.every((name) => stoppedAt('router') <= stoppedAt(name) && stoppedAt(name) <= stoppedAt('redis'))).toBe(true);
    expect(stoppedAt('redis')).toBeLessThanOrEqual(stoppedAt('postgres'));
  });
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

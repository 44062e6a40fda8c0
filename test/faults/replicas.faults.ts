import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { createClient, type Client } from 'graphql-ws';
import pg from 'pg';
import WebSocket from 'ws';
import { createEvent, createRedisBus } from '@shop/events';
import { graphql, graphqlOk } from '@shop/testing';
import { EXIT, main as adminCli } from '../../clients/admin/src/cli.js';
import { startProcessSupergraph, type ProcessSupergraph } from '../support/processes.js';
import { adminToken, buyOne, eventually, registerBuyer, type Buyer } from './shop.js';

// Two processes of orders and of inventory (behind a round-robin on their ports, as a
// Kubernetes Service) and two routers, all sharing Redis and PostgreSQL: replicas of one
// service share each event's work (one consumer group), so every event is handled once; the
// stock race is decided in PostgreSQL, whichever replica takes each checkout; subscribers
// on either router hear every change, whichever replica made it; and a poison event is
// dead-lettered once, by one replica, while the other events flow.
const MAX_ATTEMPTS = 6;
let sg: ProcessSupergraph;
let admin: string;
let routerA: string;
let routerB: string;
const clients: Client[] = [];

beforeAll(async () => {
  // Six tries (about 3 s of backoff) instead of twelve (two minutes), so the poison is dead-lettered soon.
  sg = await startProcessSupergraph({ replicas: { orders: 2, inventory: 2 }, routers: 2, serviceEnv: { EVENT_MAX_ATTEMPTS: String(MAX_ATTEMPTS) } });
  [routerA, routerB] = sg.routerUrls as [string, string];
  admin = await adminToken(routerA);
}, 300_000);

afterAll(async () => {
  await Promise.all(clients.map((client) => client.dispose()));
  await sg?.stop();
});

/** A live subscription on `url`; everything it receives is collected. */
function subscribe(url: string, query: string, variables: Record<string, unknown>, token?: string) {
  const client = createClient({
    url: url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    ...(token ? { connectionParams: { authorization: `Bearer ${token}` } } : {}),
  });
  clients.push(client);
  const received: any[] = [];
  const failures: unknown[] = [];
  client.subscribe({ query, variables }, { next: (result) => void received.push(result), error: (error) => void failures.push(error), complete: () => undefined });
  return { received, failures };
}

async function sql(database: string, text: string, values: unknown[] = []): Promise<any[]> {
  const client = new pg.Client({ connectionString: sg.databaseUrl(database) });
  await client.connect();
  try {
    return (await client.query(text, values)).rows;
  } finally {
    await client.end();
  }
}

const STATUS = 'subscription { orderStatusChanged { id status } }';
const STOCK = 'subscription($ids: [ID!]) { stockChanged(productIds: $ids) { id stock { available reserved } } }';

describe('two replicas of orders and inventory, two routers', () => {
  it('runs every replica as its own process', () => {
    expect(sg.replicas('orders')).toEqual(['orders', 'orders-2']);
    expect(sg.replicas('inventory')).toEqual(['inventory', 'inventory-2']);
    expect(sg.replicas('router')).toEqual(['router', 'router-2']);
    const pids = ['orders', 'orders-2', 'inventory', 'inventory-2', 'router', 'router-2'].map((name) => sg.supervisor.pid(name));
    expect(new Set(pids).size).toBe(6);
  });

  it('12 customers race for 5 units across both routers: 5 win; every event handled once; both routers tell every subscriber', async () => {
    const products = (await graphqlOk(routerA, '{ products(first: 2) { edges { node { id } } } }')).products.edges.map((e: any) => e.node.id);
    const [productId, warmUpProduct] = products as [string, string];
    await graphqlOk(routerA, 'mutation($id: ID!) { setStock(productId: $id, quantity: 5) { id } }', { id: productId }, { token: admin });
    await graphqlOk(routerA, 'mutation($id: ID!) { setStock(productId: $id, quantity: 100) { id } }', { id: warmUpProduct }, { token: admin });

    const statusA = subscribe(routerA, STATUS, {}, admin);
    const statusB = subscribe(routerB, STATUS, {}, admin);
    const stockA = subscribe(routerA, STOCK, { ids: [productId] });
    const stockB = subscribe(routerB, STOCK, { ids: [productId] });
    // A warm-up order, paid, until both admin subscriptions report it: then all four are live.
    const warmUpBuyer = await registerBuyer(routerA);
    const paidOn = (received: any[], orderId: string) =>
      received.filter((r) => r.data?.orderStatusChanged?.id === orderId && r.data.orderStatusChanged.status === 'PAID').length;
    const warmUp = await buyOne(routerA, warmUpBuyer, warmUpProduct, { onHung: () => undefined });
    await eventually(async () => [paidOn(statusA.received, warmUp.id), paidOn(statusB.received, warmUp.id)] as const, ([a, b]) => a === 1 && b === 1, 60_000);
    expect([paidOn(statusA.received, warmUp.id), paidOn(statusB.received, warmUp.id)]).toEqual([1, 1]);
    await graphqlOk(routerB, 'mutation($id: ID!) { setStock(productId: $id, quantity: 5) { id } }', { id: productId }, { token: admin });
    await eventually(async () => [stockA.received.length, stockB.received.length] as const, ([a, b]) => a > 0 && b > 0, 60_000);

    const buyers: Buyer[] = await Promise.all(Array.from({ length: 12 }, () => registerBuyer(routerA)));
    const carts = await Promise.all(
      buyers.map(async () => (await graphqlOk(routerA, 'mutation($p: ID!) { addToCart(productId: $p, quantity: 1) { id } }', { p: productId })).addToCart.id as string),
    );
    const attempts = await Promise.all(
      buyers.map((buyer, i) =>
        graphql(
          i % 2 === 0 ? routerA : routerB,
          'mutation($input: CheckoutInput!) { checkout(input: $input) { id total { amount } } }',
          { input: { cartId: carts[i], shippingAddressId: buyer.addressId, shippingMethodId: 'standard', idempotencyKey: randomUUID() } },
          { token: buyer.token },
        ),
      ),
    );
    const winners = attempts.flatMap((result, i) => (result.data?.checkout ? [{ buyer: buyers[i]!, orderId: result.data.checkout.id as string }] : []));
    const refusals = attempts.flatMap((result) => (result.data?.checkout ? [] : result.errors!.map((e) => e.extensions?.code)));
    expect(winners).toHaveLength(5);
    expect(refusals).toEqual(Array(7).fill('CONFLICT'));
    const stockNow = await graphqlOk(routerB, 'query($id: ID!) { product(id: $id) { stock { available reserved } } }', { id: productId });
    expect(stockNow.product.stock).toEqual({ available: 0, reserved: 5 });

    // Pay each winner through either router.
    for (const [i, winner] of winners.entries()) {
      const paid = await graphqlOk(i % 2 === 0 ? routerB : routerA, 'mutation($id: ID!) { payOrder(orderId: $id, paymentMethod: "pm_card_visa") { status } }', { id: winner.orderId }, { token: winner.buyer.token });
      expect(paid.payOrder.status).toBe('SUCCEEDED');
    }
    const paidEverywhere = () => winners.map((w) => [paidOn(statusA.received, w.orderId), paidOn(statusB.received, w.orderId)]);
    await eventually(async () => paidEverywhere(), (counts) => counts.every(([a, b]) => (a ?? 0) >= 1 && (b ?? 0) >= 1), 90_000);
    // Each order's PAID event reached both routers' subscribers exactly once.
    expect(paidEverywhere()).toEqual(winners.map(() => [1, 1]));

    // Inventory committed each reservation once (the consumer group split the events between replicas).
    const levels = await eventually(
      () => sql('inventory', 'SELECT sum(on_hand)::int AS on_hand, sum(reserved)::int AS reserved FROM stock_levels WHERE product_id = $1', [productId]),
      (rows) => rows[0]?.reserved === 0,
      90_000,
    );
    expect(levels).toEqual([{ on_hand: 0, reserved: 0 }]);
    const paidOnce = await sql(
      'orders',
      `SELECT o.id, count(h.*)::int AS paid FROM orders o JOIN order_status_history h ON h.order_id = o.id AND h.status = 'PAID'
        WHERE o.id = ANY($1::uuid[]) GROUP BY o.id`,
      [winners.map((w) => w.orderId)],
    );
    expect(paidOnce.map((row) => row.paid)).toEqual([1, 1, 1, 1, 1]);
    // Both routers' stock subscribers heard every change (each event reads the stock as it is when
    // delivered, so quick changes may show the same figures), ending at 0 available, 0 reserved.
    const stockSeen = (received: any[]) => ({ events: received.length, last: received.at(-1)?.data?.stockChanged?.stock });
    const settled = { available: 0, reserved: 0 };
    await eventually(
      async () => [stockSeen(stockA.received), stockSeen(stockB.received)] as const,
      ([a, b]) => a.events === b.events && JSON.stringify(a.last) === JSON.stringify(settled) && JSON.stringify(b.last) === JSON.stringify(settled),
      60_000,
    );
    expect(stockSeen(stockA.received)).toEqual(stockSeen(stockB.received));
    expect(stockSeen(stockA.received).last).toEqual(settled);
    expect([statusA.failures, statusB.failures, stockA.failures, stockB.failures]).toEqual([[], [], [], []]);

    process.stdout.write(`replicas: ${winners.length} winners, stock events seen per router ${stockA.received.length}\n`);
  });

  it('a poison event goes to the dead-letter stream after its tries, once, while the other events flow', async () => {
    const productId = (await graphqlOk(routerA, '{ products(first: 3) { edges { node { id } } } }')).products.edges[2].node.id;
    await graphqlOk(routerA, 'mutation($id: ID!) { setStock(productId: $id, quantity: 10) { id } }', { id: productId }, { token: admin });
    const bus = createRedisBus(sg.redisUrl);
    try {
      // A producer's bug: an order's status change whose id is no UUID. Inventory's inbox (a uuid
      // column) refuses it on every try, whichever replica takes it.
      const poison = { ...createEvent('orders', 'order.status_changed', 'poison-order', { orderId: 'poison-order', from: 'PENDING_PAYMENT', to: 'PAID' }), id: `poison-${randomUUID()}` };
      await bus.publish([poison]);
      // Meanwhile a customer buys and pays: inventory commits that reservation all the same.
      const buyer = await registerBuyer(routerB);
      await buyOne(routerB, buyer, productId, { onHung: () => undefined });
      const stock = await eventually(
        async () => (await graphqlOk(routerA, 'query($id: ID!) { product(id: $id) { stock { available reserved } } }', { id: productId })).product.stock,
        (s) => s?.available === 9 && s.reserved === 0,
        60_000,
      );
      expect(stock).toEqual({ available: 9, reserved: 0 });

      // The admin CLI lists it, with every try counted, exactly once for inventory's group.
      const list = async () => {
        let stdout = '';
        let stderr = '';
        const code = await adminCli(['events', 'dead-letters', '--group', 'inventory'], {
          stdout: (text) => (stdout += text),
          stderr: (text) => (stderr += text),
          env: { HOME: sg.dataDir, SHOP_API_URL: routerA, SHOP_ADMIN_TOKEN: admin },
        });
        return { code, stdout, stderr };
      };
      const listed = await eventually(list, (run) => run.stdout.includes(poison.id), 60_000);
      expect(listed).toMatchObject({ code: EXIT.OK, stderr: '' });
      const rows = listed.stdout.split('\n').filter((line) => line.includes(poison.id));
      expect(rows).toHaveLength(1);
      expect(rows[0]!.trim().split(/ {2,}/).slice(1, 6)).toEqual(['inventory', 'order.status_changed', 'poison-order', poison.id, String(MAX_ATTEMPTS)]);
    } finally {
      await bus.close();
    }
  });
});

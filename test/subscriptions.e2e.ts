import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { createClient, type Client } from 'graphql-ws';
import { Redis } from 'ioredis';
import WebSocket from 'ws';
import { createRedisStore, type KeyValueStore } from '@shop/kv';
import { createServiceCredentials, ROUTER_SERVICE } from '@shop/subgraph-kit';
import { eventually, graphqlOk, until } from '@shop/testing';
import { ADMIN, startSupergraph, type Supergraph } from './support/supergraph.js';

// Subscriptions end to end: a client on the router's WebSocket, the real subgraphs publishing
// through the suite's real Redis, events completed with fields from other subgraphs.
const prefix = `e2e-subscriptions:${randomUUID()}:`;

let sg: Supergraph;
let kv: KeyValueStore;
let redis: Redis;
let wsUrl: string;
let adminToken: string;
let productIds: string[];
const clients: Client[] = [];

async function register(email: string) {
  const data = await graphqlOk(sg.url, 'mutation($input: RegisterInput!) { register(input: $input) { accessToken user { id } } }', {
    input: { email, password: 'a-strong-password-1', name: email.split('@')[0] },
  });
  return data.register as { accessToken: string; user: { id: string } };
}

/** Cart, address, shipping rate, checkout: an order in PENDING_PAYMENT, through the router. */
async function placeOrder(token: string, items: Array<{ productId: string; quantity: number }>) {
  let cartId: string | undefined;
  for (const item of items) {
    const cart = await graphqlOk(sg.url, 'mutation($c: ID, $p: ID!, $q: Int!) { addToCart(cartId: $c, productId: $p, quantity: $q) { id } }', {
      c: cartId ?? null,
      p: item.productId,
      q: item.quantity,
    }, { token });
    cartId = cart.addToCart.id;
  }
  const address = await graphqlOk(sg.url, 'mutation($input: AddressInput!) { addAddress(input: $input) { id } }', {
    input: { name: 'Ada Buyer', line1: 'Hauptstr. 1', city: 'Berlin', postalCode: '10115', country: 'DE' },
  }, { token });
  const rates = await graphqlOk(sg.url, 'query($a: ID!, $c: ID!) { shippingRates(addressId: $a, cartId: $c) { id } }', {
    a: address.addAddress.id,
    c: cartId,
  }, { token });
  const order = await graphqlOk(sg.url, 'mutation($input: CheckoutInput!) { checkout(input: $input) { id status } }', {
    input: { cartId, shippingAddressId: address.addAddress.id, shippingMethodId: rates.shippingRates[0].id, idempotencyKey: `sub-e2e-${randomUUID()}` },
  }, { token });
  expect(order.checkout.status).toBe('PENDING_PAYMENT');
  return order.checkout.id as string;
}

function client(token?: string): Client {
  const c = createClient({ url: wsUrl, webSocketImpl: WebSocket, connectionParams: token ? { authorization: `Bearer ${token}` } : {}, retryAttempts: 0 });
  clients.push(c);
  return c;
}

/** Subscribes; results are collected as they come. */
function subscribe(c: Client, query: string, variables: Record<string, unknown> = {}) {
  const received: Array<{ result: any }> = [];
  const state = { failure: null as unknown, done: false };
  const dispose = c.subscribe({ query, variables }, {
    next: (result) => void received.push({ result }),
    error: (error) => Object.assign(state, { failure: error, done: true }),
    complete: () => void (state.done = true),
  });
  return {
    received,
    state,
    dispose,
    /** The `count`th result, once it arrived (undefined if the subscription ended first). */
    async next(count: number) {
      await eventually(async () => received.length >= count || state.done, Boolean);
      return received[count - 1];
    },
  };
}

/** Waits until the router holds `upstream` subscriptions and each is in effect at its subgraph. */
const listening = (upstream = 1) => until(() => sg.subscriptionsInEffect(upstream), `${upstream} subscription(s) in effect`);

beforeAll(async () => {
  kv = createRedisStore(process.env.SHOP_TEST_REDIS_URL!, { keyPrefix: prefix });
  redis = new Redis(process.env.SHOP_TEST_REDIS_URL!);
  sg = await startSupergraph({ kv, router: { kv } });
  wsUrl = sg.wsUrl;
  const login = await graphqlOk(sg.url, 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }', {
    e: ADMIN.email,
    p: ADMIN.password,
  });
  adminToken = login.login.accessToken;
  const page = await graphqlOk(sg.url, '{ products(first: 5) { edges { node { id } } } }');
  productIds = page.products.edges.map((e: { node: { id: string } }) => e.node.id);
  await graphqlOk(sg.url, 'mutation($levels: [StockLevelInput!]!) { setStockLevels(levels: $levels) { id } }', {
    levels: productIds.map((productId) => ({ productId, quantity: 50 })),
  }, { token: adminToken });
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await sg?.stop();
  await kv?.close();
  redis?.disconnect();
});

describe('stockChanged through the router', () => {
  it('delivers the new stock level with the product name from the products subgraph', async () => {
    const productId = productIds[0]!;
    const name = (await graphqlOk(sg.url, 'query($id: ID) { product(id: $id) { name } }', { id: productId })).product.name;
    const sub = subscribe(client(), 'subscription($ids: [ID!]) { stockChanged(productIds: $ids) { id name stock { available onHand } inStock } }', {
      ids: [productId],
    });
    await listening();
    // Another product's change is not for this subscriber.
    await graphqlOk(sg.url, 'mutation($p: ID!) { setStock(productId: $p, quantity: 3) { id } }', { p: productIds[1] }, { token: adminToken });
    await graphqlOk(sg.url, 'mutation($p: ID!) { setStock(productId: $p, quantity: 42) { id } }', { p: productId }, { token: adminToken });
    const event = await sub.next(1);
    expect(event?.result).toEqual({ data: { stockChanged: { id: productId, name, stock: { available: 42, onHand: 42 }, inStock: true } }, extensions: { eventId: expect.stringMatching(/^\d{15}-\d{10}$/) } });
    expect(sub.received).toHaveLength(1);
    sub.dispose();
  });

  it('hears a change made on another inventory replica (Redis fan-out)', async () => {
    const { createInventorySubgraph } = await import('../subgraphs/inventory/src/server.js');
    const { buildInventoryConfig } = await import('../subgraphs/inventory/src/config.js');
    const { readConfig } = await import('@shop/config');
    const { config } = readConfig(
      { DATABASE_URL: sg.databases.inventory, JWKS_URL: sg.jwksUrl, SERVICE_JWKS_URL: sg.serviceJwksUrl, SERVICE_PRIVATE_KEY: sg.keys.services.inventory!, LOG_LEVEL: 'silent' },
      buildInventoryConfig,
    );
    const replicaKv = createRedisStore(process.env.SHOP_TEST_REDIS_URL!, { keyPrefix: prefix });
    const replica = await createInventorySubgraph(config, { kv: replicaKv });
    const replicaUrl = (await replica.listen(0, '127.0.0.1')).url;
    try {
      const productId = productIds[2]!;
      const sub = subscribe(client(), 'subscription($ids: [ID!]) { stockChanged(productIds: $ids) { id stock { onHand } } }', { ids: [productId] });
      await listening();
      // Straight to the replica, which the router is not connected to.
      const asRouter = await createServiceCredentials({ name: ROUTER_SERVICE, key: sg.routerKey.signing }).headers('inventory');
      await graphqlOk(replicaUrl, 'mutation($p: ID!) { setStock(productId: $p, quantity: 17) { id } }', { p: productId }, { token: adminToken, headers: asRouter });
      expect((await sub.next(1))?.result).toEqual({ data: { stockChanged: { id: productId, stock: { onHand: 17 } } }, extensions: { eventId: expect.stringMatching(/^\d{15}-\d{10}$/) } });
      sub.dispose();
    } finally {
      await replica.stop();
      await replicaKv.close();
    }
  });
});

describe('orderStatusChanged through the router', () => {
  const query = `subscription($id: ID) { orderStatusChanged(orderId: $id) {
    id status user { email } items { quantity product { name } } } }`;

  it('tells the buyer (and an ADMIN watching all orders) of a status change, with the email from users and product names from products', async () => {
    const buyer = await register(`sub-buyer-${randomUUID().slice(0, 8)}@e2e.test`);
    const orderId = await placeOrder(buyer.accessToken, [
      { productId: productIds[0]!, quantity: 2 },
      { productId: productIds[1]!, quantity: 1 },
    ]);
    const names = await graphqlOk(sg.url, 'query($a: ID, $b: ID) { a: product(id: $a) { name } b: product(id: $b) { name } }', {
      a: productIds[0],
      b: productIds[1],
    });
    const upstream = sg.router.subscriptionStats().upstreamSubscriptions;
    const mine = subscribe(client(buyer.accessToken), query, { id: orderId });
    const all = subscribe(client(adminToken), query);
    await listening(upstream + 2);

    await graphqlOk(sg.url, 'mutation($id: ID!) { cancelOrder(id: $id) { status } }', { id: orderId }, { token: buyer.accessToken });
    const expected = {
      data: {
        orderStatusChanged: {
          id: orderId,
          status: 'CANCELLED',
          user: { email: expect.stringMatching(/^sub-buyer-.*@e2e\.test$/) },
          items: [
            { quantity: 2, product: { name: names.a.name } },
            { quantity: 1, product: { name: names.b.name } },
          ],
        },
      },
      extensions: { eventId: expect.stringMatching(/^\d{15}-\d{10}$/) },
    };
    const event = await mine.next(1);
    expect(event?.result).toEqual(expected);
    expect((await all.next(1))?.result).toEqual(expected);
    mine.dispose();
    all.dispose();
  });

  it('delivers PAID when the payment succeeds (payments -> event bus -> orders -> subscriber)', async () => {
    const buyer = await register(`sub-payer-${randomUUID().slice(0, 8)}@e2e.test`);
    const orderId = await placeOrder(buyer.accessToken, [{ productId: productIds[4]!, quantity: 1 }]);
    const upstream = sg.router.subscriptionStats().upstreamSubscriptions;
    const sub = subscribe(client(buyer.accessToken), 'subscription($id: ID) { orderStatusChanged(orderId: $id) { status user { email } items { product { name } } } }', {
      id: orderId,
    });
    await listening(upstream + 1);
    await graphqlOk(sg.url, 'mutation($id: ID!) { payOrder(orderId: $id, paymentMethod: "pm_card_visa") { status } }', { id: orderId }, {
      token: buyer.accessToken,
    });
    const event = await sub.next(1);
    expect(event?.result.data.orderStatusChanged).toMatchObject({ status: 'PAID', user: { email: expect.stringMatching(/^sub-payer-/) } });
    expect(event?.result.data.orderStatusChanged.items[0].product.name).toEqual(expect.any(String));
    sub.dispose();
  });

  it('keeps other people\'s orders private: NOT_FOUND for a stranger, UNAUTHENTICATED without a token', async () => {
    const buyer = await register(`sub-owner-${randomUUID().slice(0, 8)}@e2e.test`);
    const stranger = await register(`sub-stranger-${randomUUID().slice(0, 8)}@e2e.test`);
    const orderId = await placeOrder(buyer.accessToken, [{ productId: productIds[3]!, quantity: 1 }]);
    const strangersOwn = await placeOrder(stranger.accessToken, [{ productId: productIds[3]!, quantity: 1 }]);

    const peeking = subscribe(client(stranger.accessToken), query, { id: orderId });
    expect((await peeking.next(1))?.result.errors[0].extensions).toMatchObject({ code: 'NOT_FOUND', serviceName: 'orders' });

    const anonymous = subscribe(client(), query, { id: orderId });
    expect((await anonymous.next(1))?.result.errors[0].extensions).toMatchObject({ code: 'UNAUTHENTICATED', serviceName: 'orders' });

    // A stranger listening to "all my orders" hears nothing of someone else's: the buyer's change
    // is published first, so by the time the stranger's own arrives it would have come too.
    const theirs = subscribe(client(stranger.accessToken), query);
    await listening();
    await graphqlOk(sg.url, 'mutation($id: ID!) { cancelOrder(id: $id) { status } }', { id: orderId }, { token: buyer.accessToken });
    await graphqlOk(sg.url, 'mutation($id: ID!) { cancelOrder(id: $id) { status } }', { id: strangersOwn }, { token: stranger.accessToken });
    await theirs.next(1);
    expect(theirs.received.map(({ result }) => result.data?.orderStatusChanged.id)).toEqual([strangersOwn]);
    theirs.dispose();
  });

  it('leaves no upstream socket or Redis subscription behind when clients disconnect', async () => {
    await eventually(async () => sg.router.subscriptionStats().upstreamConnections, (n) => n === 0);
    const before = sg.router.subscriptionStats();
    const c = client(adminToken);
    subscribe(c, query);
    subscribe(c, 'subscription { stockChanged { id } }');
    await listening(before.upstreamSubscriptions + 2);
    // One socket to orders and one to inventory, for this caller.
    expect(sg.router.subscriptionStats().upstreamConnections).toBe(before.upstreamConnections + 2);
    await c.dispose();
    await eventually(async () => sg.router.subscriptionStats().upstreamConnections, (n) => n <= before.upstreamConnections);
    expect(sg.router.subscriptionStats()).toMatchObject({ upstreamSubscriptions: before.upstreamSubscriptions, upstreamConnections: before.upstreamConnections });
    const remaining = await eventually(
      async () => Number(((await redis.pubsub('NUMSUB', `${prefix}orders.status-changed:appended`)) as [string, number])[1]),
      (n) => n === 0,
    );
    expect(remaining).toBe(0);
  });
});

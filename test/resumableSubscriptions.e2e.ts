import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { createRedisStore, type KeyValueStore } from '@shop/kv';
import { createRouter, type Router } from '@shop/router';
import { createLogger } from '@shop/subgraph-kit';
import { eventually, graphqlOk, until } from '@shop/testing';
import { ADMIN, startSupergraph, type Supergraph } from './support/supergraph.js';

// Resumable subscriptions end to end: the subgraphs keep their event logs in the suite's real
// Redis; a subscriber leaves, events happen, and it resumes `after` its last eventId on another
// router replica (one that never saw it: as after a restart).
const prefix = `e2e-resumable:${randomUUID()}:`;
let kv: KeyValueStore;
let sg: Supergraph;
let replica: Router;
let replicaWsUrl: string;
let adminToken: string;
let productId: string;
const clients: Client[] = [];

interface Received {
  eventId: string;
  data: any;
}

function client(url: string, token?: string): Client {
  const c = createClient({ url, webSocketImpl: WebSocket, connectionParams: token ? { authorization: `Bearer ${token}` } : {}, retryAttempts: 0 });
  clients.push(c);
  return c;
}

function subscribe(c: Client, query: string, variables: Record<string, unknown>) {
  const received: Received[] = [];
  const state = { error: null as any };
  const dispose = c.subscribe(
    { query, variables },
    {
      next: (result) => {
        if (result.errors) state.error = result.errors;
        else received.push({ eventId: String((result.extensions as { eventId?: unknown } | undefined)?.eventId), data: result.data });
      },
      error: (error) => void (state.error = error),
      complete: () => undefined,
    },
  );
  return { received, state, dispose };
}

const STOCK = 'subscription($p: [ID!], $after: String) { stockChanged(productIds: $p, after: $after) { id name stock { available } } }';
const setStock = (quantity: number) =>
  graphqlOk(sg.url, 'mutation($id: ID!, $q: Int!) { setStock(productId: $id, quantity: $q) { id } }', { id: productId, q: quantity }, { token: adminToken });

beforeAll(async () => {
  kv = createRedisStore(process.env.SHOP_TEST_REDIS_URL!, { keyPrefix: prefix });
  sg = await startSupergraph({ kv, router: { kv } });
  replica = createRouter({ supergraphSdl: sg.stack.supergraphSdl, logger: createLogger({ service: 'router-b', level: 'silent' }), accessTokens: sg.jwksUrl, serviceKey: sg.routerKey, kv });
  replicaWsUrl = (await replica.listen(0, '127.0.0.1')).url.replace(/^http/, 'ws');
  adminToken = (await graphqlOk(sg.url, 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }', { e: ADMIN.email, p: ADMIN.password })).login
    .accessToken;
  productId = (await graphqlOk(sg.url, '{ products(first: 1) { edges { node { id } } } }')).products.edges[0].node.id;
}, 120_000);

afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await replica?.stop();
  await sg?.stop();
  await kv?.close();
});

describe('resumable subscriptions', () => {
  it('gives a subscriber that left all 20 events it missed, exactly once and in order, then live ones, on another replica', async () => {
    const first = subscribe(client(sg.wsUrl), STOCK, { p: [productId] });
    // In effect at inventory itself (the replica router's subscriptions are counted there too).
    await until(() => sg.subgraphs.inventory!.activeSubscriptions() >= 1, 'the subscription in effect at inventory');
    await setStock(100);
    await until(async () => first.received.length === 1);
    const seen = first.received[0]!;
    expect(seen.eventId).toMatch(/^\d{15}-\d{10}$/);
    first.dispose();
    await until(async () => sg.router.subscriptionStats().upstreamSubscriptions === 0);

    for (let quantity = 1; quantity <= 20; quantity += 1) await setStock(quantity);

    const resumed = subscribe(client(replicaWsUrl), STOCK, { p: [productId], after: seen.eventId });
    await until(async () => resumed.received.length >= 20 || resumed.state.error !== null);
    expect(resumed.state.error).toBeNull();
    await setStock(21);
    await until(async () => resumed.received.length >= 21);

    const ids = resumed.received.map((r) => r.eventId);
    expect(ids).toHaveLength(21);
    expect(new Set(ids).size).toBe(21);
    expect([...ids].sort()).toEqual(ids);
    expect(ids[0]! > seen.eventId).toBe(true);
    expect(resumed.received.every((r) => r.data.stockChanged.id === productId)).toBe(true);
    expect(resumed.received[20]!.data.stockChanged.stock.available).toBe(21);
  });

  it('replays order status changes with the status each event announced', async () => {
    const email = `resume-${randomUUID()}@e2e.test`;
    const token = (await graphqlOk(sg.url, 'mutation($i: RegisterInput!) { register(input: $i) { accessToken } }', { i: { email, password: 'a-strong-password-1', name: 'Rey' } }))
      .register.accessToken as string;
    await setStock(50);
    const cartId = (await graphqlOk(sg.url, 'mutation($p: ID!) { addToCart(productId: $p, quantity: 1) { id } }', { p: productId }, { token })).addToCart.id;
    const addressId = (
      await graphqlOk(sg.url, 'mutation { addAddress(input: { name: "Rey", line1: "Hauptstr. 1", city: "Berlin", postalCode: "10115", country: "DE" }) { id } }', {}, { token })
    ).addAddress.id;
    const orderId = (
      await graphqlOk(sg.url, 'mutation($i: CheckoutInput!) { checkout(input: $i) { id } }', {
        i: { cartId, shippingAddressId: addressId, shippingMethodId: 'standard', idempotencyKey: `resume-${randomUUID()}` },
      }, { token })
    ).checkout.id as string;

    const ORDER = 'subscription($id: ID, $after: String) { orderStatusChanged(orderId: $id, after: $after) { id status user { email } } }';
    const live = subscribe(client(sg.wsUrl, token), ORDER, { id: orderId });
    await until(() => sg.subgraphs.orders!.activeSubscriptions() >= 1, 'the subscription in effect at orders');
    await graphqlOk(sg.url, 'mutation($id: ID!) { payOrder(orderId: $id, paymentMethod: "pm_card_visa") { status } }', { id: orderId }, { token });
    await until(async () => live.received.length === 1);
    expect(live.received[0]!.data.orderStatusChanged.status).toBe('PAID');
    live.dispose();

    const shipment = await graphqlOk(sg.url, 'mutation($id: ID!) { createShipment(orderId: $id, carrier: "DHL", trackingNumber: "00340434") { id } }', { id: orderId }, { token: adminToken });
    await graphqlOk(sg.url, 'mutation($id: ID!) { markDelivered(shipmentId: $id) { id } }', { id: shipment.createShipment.id }, { token: adminToken });
    await eventually(
      async () => (await graphqlOk(sg.url, 'query($id: ID!) { order(id: $id) { status } }', { id: orderId }, { token })).order.status,
      (status) => status === 'DELIVERED',
    );

    const resumed = subscribe(client(replicaWsUrl, token), ORDER, { id: orderId, after: live.received[0]!.eventId });
    await until(async () => resumed.received.length >= 2);
    expect(resumed.received.map((r) => r.data.orderStatusChanged.status)).toEqual(['SHIPPED', 'DELIVERED']);
    expect(resumed.received[0]!.data.orderStatusChanged.user.email).toBe(email);
  });

  it('tells a subscriber whose last event is past the retention window to refetch, and refuses an id that is not one', async () => {
    const expired = subscribe(client(sg.wsUrl), STOCK, { p: [productId], after: '000000000000001-0000000000' });
    await until(async () => expired.state.error !== null);
    expect(expired.state.error[0].extensions).toMatchObject({ code: 'EVENTS_EXPIRED', retentionSeconds: 86_400 });

    const bad = subscribe(client(sg.wsUrl), STOCK, { p: [productId], after: 'yesterday' });
    await until(async () => bad.state.error !== null);
    expect(bad.state.error[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });
});

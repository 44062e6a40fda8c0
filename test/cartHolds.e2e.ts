import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { eventually, graphql, graphqlOk, until } from '@shop/testing';
import { shopper } from './support/shop.js';
import { startSupergraph, type Supergraph } from './support/supergraph.js';

// Cart holds end to end through the router: holdCart over HTTP, the warning over the router's
// WebSocket, stock.reserved and stockChanged reflecting the hold, expiry and checkout. Time is
// the stack's injected clock, moved by the test; inventory's sweeper runs every 50 ms and acts
// on whatever that clock says, so nothing here sleeps to prove anything.
let nowMs = Date.now();
const clock = () => new Date(nowMs);
let sg: Supergraph;
let adminToken: string;
let productId: string;
const clients: Client[] = [];

function subscribe(query: string, variables: Record<string, unknown>, token?: string) {
  const client = createClient({ url: sg.wsUrl, webSocketImpl: WebSocket, connectionParams: token ? { authorization: `Bearer ${token}` } : {}, retryAttempts: 0 });
  clients.push(client);
  const received: any[] = [];
  const state = { errors: null as any };
  client.subscribe(
    { query, variables },
    {
      next: (result) => (result.errors ? (state.errors = result.errors) : received.push(result.data)),
      error: (error) => void (state.errors = error),
      complete: () => undefined,
    },
  );
  return { received, state };
}

const HOLD = 'mutation($c: ID, $s: Int) { holdCart(cartId: $c, seconds: $s) { cartId expiresAt items { product { id } quantity unitPrice { amount } } } }';
const EXPIRING = 'subscription($c: ID!) { reservationExpiring(cartId: $c) { cartId expiresAt items { product { id name stock { reserved } } quantity } } }';
const STOCK = 'query($id: ID!) { product(id: $id) { stock { available reserved } } }';

const stockOf = async (id: string) => (await graphqlOk(sg.url, STOCK, { id })).product.stock as { available: number; reserved: number };
const addToCart = async (quantity: number, token?: string, cartId?: string) =>
  (await graphqlOk(sg.url, 'mutation($c: ID, $p: ID!, $q: Int!) { addToCart(cartId: $c, productId: $p, quantity: $q) { id } }', { c: cartId ?? null, p: productId, q: quantity }, token ? { token } : {}))
    .addToCart.id as string;

beforeAll(async () => {
  sg = await startSupergraph({ clock, env: { RESERVATION_SWEEP_MS: '50' } });
  adminToken = await shopper(sg.url).admin();
  productId = (await graphqlOk(sg.url, '{ products(first: 1) { edges { node { id } } } }')).products.edges[0].node.id;
}, 120_000);

afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await sg?.stop();
});

/** Waits until both subscriptions are in effect where they are served (again after inventory's restart), not only held by the router. */
const listening = () => until(() => sg.subscriptionsInEffect(2), 'both subscriptions in effect');

describe('cart holds', () => {
  it('holds a guest cart, shows it in stock and stockChanged, survives an inventory restart, warns once at a fifth left, then lapses', async () => {
    await shopper(sg.url).setStock(adminToken, productId, 5);
    const cartId = await addToCart(3);
    const warnings = subscribe(EXPIRING, { c: cartId });
    const changes = subscribe('subscription($p: [ID!]) { stockChanged(productIds: $p) { stock { available reserved } } }', { p: [productId] });
    await listening();

    const held = (await graphqlOk(sg.url, HOLD, { c: cartId, s: 30 })).holdCart;
    expect(held).toMatchObject({ cartId, expiresAt: new Date(nowMs + 30_000).toISOString(), items: [{ product: { id: productId }, quantity: 3 }] });
    expect(await stockOf(productId)).toEqual({ available: 2, reserved: 3 });
    await until(async () => changes.received.some((c) => c.stockChanged.stock.reserved === 3), 'stockChanged with the hold');

    // Holds live in inventory's database, so a restart neither loses nor releases them.
    await sg.subgraphs.inventory!.stop();
    await sg.stack.restart('inventory');
    expect(await stockOf(productId)).toEqual({ available: 2, reserved: 3 });
    await listening();

    nowMs += 24_000;
    await until(async () => warnings.received.length > 0 || warnings.state.errors !== null, 'the warning');
    expect(warnings.state.errors).toBeNull();
    expect(warnings.received).toEqual([
      { reservationExpiring: { cartId, expiresAt: held.expiresAt, items: [{ product: { id: productId, name: expect.any(String), stock: { reserved: 3 } }, quantity: 3 }] } },
    ]);

    nowMs += 7_000;
    expect(await eventually(() => stockOf(productId), (s) => s.reserved === 0)).toEqual({ available: 5, reserved: 0 });
    await until(async () => changes.received.some((c) => c.stockChanged.stock.available === 5), 'stockChanged after expiry');
    expect(warnings.received).toHaveLength(1);
  });

  it('turns the hold into the order’s reservation at checkout: the last units are the holder’s, counted once', async () => {
    const customer = await shopper(sg.url).register(`hold-${randomUUID()}@e2e.test`, 'Holly');
    await shopper(sg.url).setStock(adminToken, productId, 2);
    const cartId = await addToCart(2, customer.token);
    await graphqlOk(sg.url, HOLD, {}, { token: customer.token });
    expect(await stockOf(productId)).toEqual({ available: 0, reserved: 2 });

    // Another shopper cannot hold (or buy) what is held.
    const other = await addToCart(1);
    const refused = await graphql(sg.url, HOLD, { c: other });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'OUT_OF_STOCK', products: [{ productId, requested: 1, available: 0 }] });

    const addressId = (
      await graphqlOk(sg.url, 'mutation { addAddress(input: { name: "Holly", line1: "Hauptstr. 1", city: "Berlin", postalCode: "10115", country: "DE" }) { id } }', {}, { token: customer.token })
    ).addAddress.id;
    const order = await graphqlOk(
      sg.url,
      'mutation($i: CheckoutInput!) { checkout(input: $i) { id status } }',
      { i: { cartId, shippingAddressId: addressId, shippingMethodId: 'standard', idempotencyKey: randomUUID() } },
      { token: customer.token },
    );
    expect(order.checkout.status).toBe('PENDING_PAYMENT');
    expect(await stockOf(productId)).toEqual({ available: 0, reserved: 2 });
    // The hold's time passing changes nothing now: the units are the order's.
    nowMs += 601_000;
    await (sg.subgraphs.inventory as unknown as { sweepReservations(): Promise<number> }).sweepReservations();
    expect(await stockOf(productId)).toEqual({ available: 0, reserved: 2 });
  });

  it('refuses bad holds with coded errors and keeps other people’s carts private', async () => {
    const cartId = await addToCart(1);
    for (const seconds of [29, 901]) {
      const result = await graphql(sg.url, HOLD, { c: cartId, s: seconds });
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'seconds' });
    }
    const customer = await shopper(sg.url).register(`hold-${randomUUID()}@e2e.test`, 'Ida');
    const own = await addToCart(1, customer.token);
    const stranger = subscribe(EXPIRING, { c: own });
    await until(async () => stranger.state.errors !== null, 'the refusal');
    expect(stranger.state.errors[0].extensions).toMatchObject({ code: 'NOT_FOUND' });
    expect((await graphql(sg.url, HOLD, { c: own })).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});

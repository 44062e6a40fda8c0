import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
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
// Another product, for the merge: the first one's stock is an order's by then.
let mergedProductId: string;
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
const addToCart = async (quantity: number, token?: string, product = productId) =>
  (await graphqlOk(sg.url, 'mutation($p: ID!, $q: Int!) { addToCart(productId: $p, quantity: $q) { id } }', { p: product, q: quantity }, token ? { token } : {}))
    .addToCart.id as string;

beforeAll(async () => {
  sg = await startSupergraph({ clock, env: { RESERVATION_SWEEP_MS: '50' } });
  adminToken = await shopper(sg.url).admin();
  [productId, mergedProductId] = (await graphqlOk(sg.url, '{ products(first: 2) { edges { node { id } } } }')).products.edges.map((e: any) => e.node.id);
}, 120_000);

// Each test counts only its own subscriptions as in effect (`listening`).
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.dispose()));
  await until(() => sg.stack.router.subscriptionStats().upstreamSubscriptions === 0, 'the router to end the upstream subscriptions');
});

afterAll(async () => {
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

  it('moves a guest cart’s hold onto the cart it is merged into at sign-in: held for all its lines, never twice, lapsing once', async () => {
    await shopper(sg.url).setStock(adminToken, mergedProductId, 5);
    const guestCartId = await addToCart(2, undefined, mergedProductId);
    await graphqlOk(sg.url, HOLD, { c: guestCartId, s: 300 });
    expect(await stockOf(mergedProductId)).toEqual({ available: 3, reserved: 2 });
    const customer = await shopper(sg.url).register(`hold-${randomUUID()}@e2e.test`, 'Mona');
    const cartId = await addToCart(1, customer.token, mergedProductId);
    const warnings = subscribe(EXPIRING, { c: cartId }, customer.token);
    const changes = subscribe('subscription($p: [ID!]) { stockChanged(productIds: $p) { stock { available reserved } } }', { p: [mergedProductId] });
    await listening();

    // Signing in 200 s into the guest's hold: the merged cart is held for its 3 units, for a fresh 300 s.
    nowMs += 200_000;
    const merged = await graphqlOk(sg.url, 'mutation($g: ID!) { mergeCart(guestCartId: $g) { id items { quantity } } }', { g: guestCartId }, { token: customer.token });
    expect(merged.mergeCart).toEqual({ id: cartId, items: [{ quantity: 3 }] });
    expect(await stockOf(mergedProductId)).toEqual({ available: 2, reserved: 3 });
    await until(async () => changes.received.some((c) => c.stockChanged.stock.reserved === 3), 'stockChanged with the merged hold');

    // The guest hold's own end passes: nothing is given back, the units are the merged cart's.
    nowMs += 110_000;
    await (sg.subgraphs.inventory as unknown as { sweepReservations(): Promise<number> }).sweepReservations();
    expect(await stockOf(mergedProductId)).toEqual({ available: 2, reserved: 3 });

    // The merged cart's hold warns its owner at a fifth left (240 s after the merge) ...
    nowMs += 130_001;
    await until(async () => warnings.received.length > 0 || warnings.state.errors !== null, 'the merged hold’s warning');
    expect(warnings.state.errors).toBeNull();
    expect(warnings.received[0].reservationExpiring).toMatchObject({ cartId, items: [{ product: { id: mergedProductId }, quantity: 3 }] });
    const expiresAt = Date.parse(warnings.received[0].reservationExpiring.expiresAt);
    // ... and gives all 5 back once, when it lapses (a guest hold left behind would have left 2 reserved).
    nowMs = expiresAt + 1;
    expect(await eventually(() => stockOf(mergedProductId), (s) => s.reserved === 0)).toEqual({ available: 5, reserved: 0 });
  });

  it('merges at sign-in while inventory is down: the cart is the shopper’s at once, the guest’s hold lapses on its own', async () => {
    await shopper(sg.url).setStock(adminToken, mergedProductId, 5);
    const guestCartId = await addToCart(1, undefined, mergedProductId);
    await graphqlOk(sg.url, HOLD, { c: guestCartId, s: 30 });
    const customer = await shopper(sg.url).register(`hold-${randomUUID()}@e2e.test`, 'Otto');
    await sg.subgraphs.inventory!.stop();
    try {
      const merged = await graphqlOk(sg.url, 'mutation($g: ID!) { mergeCart(guestCartId: $g) { items { quantity } } }', { g: guestCartId }, { token: customer.token });
      expect(merged.mergeCart.items).toEqual([{ quantity: 1 }]);
    } finally {
      await sg.stack.restart('inventory');
    }
    expect(await stockOf(mergedProductId)).toEqual({ available: 4, reserved: 1 });
    nowMs += 31_000;
    expect(await eventually(() => stockOf(mergedProductId), (s) => s.reserved === 0)).toEqual({ available: 5, reserved: 0 });
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

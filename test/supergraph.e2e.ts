import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { forgetRequest, watchRequest } from '@shop/telemetry';
import { errorCodes, eventually, graphql, graphqlOk } from '@shop/testing';
import { ADMIN, startSupergraph, type Supergraph } from './support/supergraph.js';

// End to end through the router over HTTP: every subgraph on real PostgreSQL, the shared bus.
let sg: Supergraph;
let adminToken: string;
let productIds: string[];

interface Buyer {
  token: string;
  userId: string;
  email: string;
  addressId: string;
}

const ADDRESS = { name: 'Erika Mustermann', line1: 'Hauptstr. 1', city: 'Berlin', postalCode: '10115', country: 'DE' };

async function buyer(email: string): Promise<Buyer> {
  const data = await graphqlOk(
    sg.url,
    'mutation($input: RegisterInput!) { register(input: $input) { accessToken user { id email } } }',
    { input: { email, password: 'a-strong-password-1', name: email.split('@')[0] } },
  );
  const token: string = data.register.accessToken;
  const address = await graphqlOk(sg.url, 'mutation($input: AddressInput!) { addAddress(input: $input) { id } }', { input: ADDRESS }, { token });
  return { token, userId: data.register.user.id, email, addressId: address.addAddress.id };
}

async function fillCart(who: Buyer, items: Array<{ productId: string; quantity: number }>): Promise<string> {
  // Start from an empty cart: checkout takes the whole cart.
  let cartId: string = (await graphqlOk(sg.url, 'mutation { clearCart { id } }', {}, { token: who.token })).clearCart.id;
  for (const item of items) {
    const data = await graphqlOk(
      sg.url,
      'mutation($p: ID!, $q: Int!) { addToCart(productId: $p, quantity: $q) { id } }',
      { p: item.productId, q: item.quantity },
      { token: who.token },
    );
    cartId = data.addToCart.id;
  }
  return cartId;
}

async function checkout(who: Buyer, cartId: string, key: string, shippingMethodId = 'standard') {
  return graphql(
    sg.url,
    `mutation($input: CheckoutInput!) { checkout(input: $input) {
      id orderNumber status total { amount currencyCode } shipping { amount } } }`,
    { input: { cartId, shippingAddressId: who.addressId, shippingMethodId, idempotencyKey: key } },
    { token: who.token },
  );
}

async function placeOrder(who: Buyer, items: Array<{ productId: string; quantity: number }>, key: string) {
  const result = await checkout(who, await fillCart(who, items), key);
  if (result.errors) throw new Error(`checkout failed: ${JSON.stringify(result.errors)}`);
  return result.data.checkout as { id: string; orderNumber: string; status: string; total: { amount: string } };
}

async function stockOf(productId: string) {
  const data = await graphqlOk(sg.url, 'query($id: ID!) { product(id: $id) { stock { available reserved onHand } } }', { id: productId });
  return data.product.stock as { available: number; reserved: number; onHand: number };
}

const cents = (amount: string) => Math.round(Number(amount) * 100);

beforeAll(async () => {
  sg = await startSupergraph();
  const login = await graphqlOk(sg.url, 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken user { role } } }', {
    e: ADMIN.email,
    p: ADMIN.password,
  });
  expect(login.login.user.role).toBe('ADMIN');
  adminToken = login.login.accessToken;
  const page = await graphqlOk(sg.url, '{ products(first: 60) { edges { node { id } } } }');
  productIds = page.products.edges.map((e: { node: { id: string } }) => e.node.id);
  await graphqlOk(
    sg.url,
    'mutation($levels: [StockLevelInput!]!) { setStockLevels(levels: $levels) { id } }',
    { levels: productIds.map((productId, i) => ({ productId, quantity: 100 + i })) },
    { token: adminToken },
  );
}, 120_000);

afterAll(async () => {
  await sg?.stop();
});

describe('the supergraph through the router', () => {
  it('serves product names and prices from products and stock from inventory in one query', async () => {
    const data = await graphqlOk(sg.url, '{ products(first: 3) { edges { node { id name price { amount currencyCode } stock { available } inStock } } } }');
    const nodes = data.products.edges.map((e: any) => e.node);
    expect(nodes).toHaveLength(3);
    nodes.forEach((node: any, i: number) => {
      expect(node.id).toBe(productIds[i]);
      expect(node.name).toEqual(expect.any(String));
      expect(node.price.amount).toMatch(/^\d+\.\d{2}$/);
      expect(node.stock.available).toBe(100 + i);
      expect(node.inStock).toBe(true);
    });
  });

  it('lets a registered user see themself through `me`, and nobody without a token', async () => {
    const who = await buyer('me-check@e2e.test');
    const me = await graphqlOk(sg.url, '{ me { id email role } }', {}, { token: who.token });
    expect(me.me).toEqual({ id: who.userId, email: 'me-check@e2e.test', role: 'CUSTOMER' });
    const anonymous = await graphqlOk(sg.url, '{ me { id } }');
    expect(anonymous.me).toBeNull();
  });

  it('answers bad input with coded errors and writes nothing', async () => {
    await buyer('taken@e2e.test');
    const duplicate = await graphql(sg.url, 'mutation { register(input: { email: "TAKEN@e2e.test", password: "another-strong-pw-9" }) { accessToken } }');
    expect(errorCodes(duplicate)).toEqual(['CONFLICT']);
    const weak = await graphql(sg.url, 'mutation { register(input: { email: "weak@e2e.test", password: "123" }) { accessToken } }');
    expect(errorCodes(weak)).toEqual(['BAD_USER_INPUT']);
    expect(weak.errors?.[0]?.extensions?.field).toBe('password');
    const wrong = await graphql(sg.url, 'mutation { login(email: "taken@e2e.test", password: "not-the-password") { accessToken } }');
    expect(errorCodes(wrong)).toEqual(['UNAUTHENTICATED']);
    const unknownId = await graphqlOk(sg.url, '{ product(id: "ffffffffffffffffffffffff") { name } }');
    expect(unknownId.product).toBeNull();
    const malformed = await graphql(sg.url, '{ product(id: "not-an-id\'; DROP TABLE products; --") { name } }');
    expect(malformed.data?.product ?? null).toBeNull();

    const who = await buyer('bad-input@e2e.test');
    const unknownProduct = await graphql(sg.url, 'mutation { addToCart(productId: "ffffffffffffffffffffffff", quantity: 1) { id } }', {}, { token: who.token });
    expect(errorCodes(unknownProduct)).toEqual(['BAD_USER_INPUT']);
    const zero = await graphql(sg.url, 'mutation($p: ID!) { addToCart(productId: $p, quantity: 0) { id } }', { p: productIds[0] }, { token: who.token });
    expect(errorCodes(zero)).toEqual(['BAD_USER_INPUT']);
    const none = await graphqlOk(sg.url, '{ me { orders { totalCount } } cart { items { quantity } } }', {}, { token: who.token });
    expect(none.me.orders.totalCount).toBe(0);
    expect(none.cart?.items ?? []).toEqual([]);
  });
});

describe('checkout through the router', () => {
  let alice: Buyer;
  beforeAll(async () => {
    alice = await buyer('alice@e2e.test');
  });

  it('adds to a cart with the right subtotal and offers shipping rates for it', async () => {
    const cartId = await fillCart(alice, [
      { productId: productIds[0]!, quantity: 2 },
      { productId: productIds[1]!, quantity: 1 },
    ]);
    const data = await graphqlOk(
      sg.url,
      `query($cartId: ID!, $addressId: ID!) {
        cart(id: $cartId) { subtotal { amount currencyCode } items { quantity product { price { amount } } } }
        shippingRates(addressId: $addressId, cartId: $cartId) { id name price { amount } estimatedDays } }`,
      { cartId, addressId: alice.addressId },
      { token: alice.token },
    );
    const expected = data.cart.items.reduce((sum: number, i: any) => sum + cents(i.product.price.amount) * i.quantity, 0);
    expect(cents(data.cart.subtotal.amount)).toBe(expected);
    expect(data.shippingRates.map((r: any) => r.id)).toEqual(expect.arrayContaining(['standard', 'express']));
    const prices = data.shippingRates.map((r: any) => cents(r.price.amount));
    expect(prices).toEqual([...prices].sort((a, b) => a - b));
  });

  it('checks out (stock reserved), is idempotent, gets PAID after a card payment and shows the stitched order', async () => {
    const productId = productIds[2]!;
    const before = await stockOf(productId);
    const cartId = await fillCart(alice, [{ productId, quantity: 3 }]);
    const first = await checkout(alice, cartId, 'alice-order-0001');
    expect(first.errors).toBeUndefined();
    const order = first.data.checkout;
    expect(order.status).toBe('PENDING_PAYMENT');
    const reserved = await stockOf(productId);
    expect(reserved).toEqual({ onHand: before.onHand, reserved: before.reserved + 3, available: before.available - 3 });

    const again = await checkout(alice, cartId, 'alice-order-0001');
    expect(again.data.checkout.id).toBe(order.id);
    expect((await stockOf(productId)).reserved).toBe(before.reserved + 3);

    const paid = await graphqlOk(
      sg.url,
      'mutation($id: ID!) { payOrder(orderId: $id, paymentMethod: "pm_card_visa") { status amount { amount } } }',
      { id: order.id },
      { token: alice.token },
    );
    expect(paid.payOrder.status).toBe('SUCCEEDED');
    expect(paid.payOrder.amount.amount).toBe(order.total.amount);

    const query = `query($id: ID!) { order(id: $id) { status total { amount } shipping { amount } payment { status }
      user { email } items { quantity unitPrice { amount } product { id name } } } }`;
    const seen = await eventually(
      () => graphqlOk(sg.url, query, { id: order.id }, { token: alice.token }),
      (d) => d.order.status === 'PAID',
    );
    expect(seen.order.status).toBe('PAID');
    expect(seen.order.payment.status).toBe('SUCCEEDED');
    expect(seen.order.user).toEqual({ email: 'alice@e2e.test' });
    expect(seen.order.items).toEqual([{ quantity: 3, unitPrice: expect.any(Object), product: { id: productId, name: expect.any(String) } }]);
    const itemsTotal = seen.order.items.reduce((sum: number, i: any) => sum + cents(i.unitPrice.amount) * i.quantity, 0);
    expect(cents(seen.order.total.amount)).toBe(itemsTotal + cents(seen.order.shipping.amount));

    // Payment committed the reservation: on hand down by 3, nothing reserved any more for it.
    const committed = await eventually(() => stockOf(productId), (s) => s.reserved === before.reserved);
    expect(committed).toEqual({ onHand: before.onHand - 3, reserved: before.reserved, available: before.available - 3 });

    const stranger = await buyer('stranger@e2e.test');
    const refused = await graphql(sg.url, query, { id: order.id }, { token: stranger.token });
    expect(refused.data?.order ?? null).toBeNull();
    expect(errorCodes(refused)).toEqual(['NOT_FOUND']);
  });

  it('leaves the order unpaid after a declined card, and cancelling releases the stock', async () => {
    const productId = productIds[3]!;
    const before = await stockOf(productId);
    const order = await placeOrder(alice, [{ productId, quantity: 2 }], 'alice-order-0002');
    const declined = await graphqlOk(
      sg.url,
      'mutation($id: ID!) { payOrder(orderId: $id, paymentMethod: "pm_card_chargeDeclined") { status } }',
      { id: order.id },
      { token: alice.token },
    );
    expect(declined.payOrder.status).toBe('FAILED');
    const status = await graphqlOk(sg.url, 'query($id: ID!) { order(id: $id) { status } }', { id: order.id }, { token: alice.token });
    expect(status.order.status).toBe('PENDING_PAYMENT');
    expect((await stockOf(productId)).available).toBe(before.available - 2);

    const cancelled = await graphqlOk(sg.url, 'mutation($id: ID!) { cancelOrder(id: $id) { status } }', { id: order.id }, { token: alice.token });
    expect(cancelled.cancelOrder.status).toBe('CANCELLED');
    const released = await eventually(() => stockOf(productId), (s) => s.available === before.available);
    expect(released).toEqual(before);
  });
});

describe('data access batching (N+1 guard)', () => {
  const pageQuery = `query($first: Int!) { orders(first: $first) { edges { node {
    orderNumber user { email } items { quantity product { name price { amount } stock { available } } } } } } }`;

  beforeAll(async () => {
    // 60 orders from 12 customers over many different products.
    const buyers = await Promise.all(Array.from({ length: 12 }, (_, i) => buyer(`batch-${i}@e2e.test`)));
    for (let n = 0; n < 60; n++) {
      const who = buyers[n % buyers.length]!;
      const items = [0, 1, 2].map((k) => ({ productId: productIds[(n * 3 + k) % productIds.length]!, quantity: 1 + k }));
      await placeOrder(who, items, `batch-order-${n}`);
    }
  }, 120_000);

  // Counted per request (its x-request-id, which the router passes to every subgraph fetch):
  // statements of the event consumers still settling the 60 checkouts are not this page's.
  async function measure(first: number) {
    const requestId = `n-plus-one-${first}-${randomUUID()}`;
    watchRequest(requestId);
    sg.resetCounters();
    try {
      const data = await graphqlOk(sg.url, pageQuery, { first }, { token: adminToken, headers: { 'x-request-id': requestId } });
      expect(data.orders.edges).toHaveLength(first);
      for (const { node } of data.orders.edges) {
        expect(node.user.email).toMatch(/@e2e\.test$/);
        for (const item of node.items) expect(item.product.name).toEqual(expect.any(String));
      }
      const { sqlBySubgraph, productStore } = sg.workOf(requestId);
      return { sqlBySubgraph, productStore, subgraphFetches: sg.fetches.length };
    } finally {
      forgetRequest(requestId);
    }
  }

  it('reads a page of 50 orders with users, products and stock in a constant number of fetches and queries', async () => {
    const ten = await measure(10);
    const fifty = await measure(50);
    // One fetch per subgraph per level: orders, then users + products + inventory.
    expect(fifty.subgraphFetches).toBe(4);
    expect(fifty).toEqual(ten);
    // Each store is read once or twice for the page (the count of the connection included).
    for (const statements of Object.values(fifty.sqlBySubgraph)) {
      expect(statements).toBeGreaterThanOrEqual(1);
      expect(statements).toBeLessThanOrEqual(2);
    }
    expect(fifty.productStore).toBe(1);
    process.stdout.write(`N+1 guard: 50 orders -> ${JSON.stringify(fifty)}\n`);
  });
});

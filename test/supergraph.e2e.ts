import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { errorCodes, graphql, graphqlOk } from '@shop/testing';
import { ADMIN, startSupergraph, type Supergraph } from './support/supergraph.js';

// End to end through the router over HTTP, against the four real subgraphs on real PostgreSQL.
let sg: Supergraph;
let adminToken: string;
let productIds: string[];

async function register(email: string, password = 'a-strong-password-1') {
  const data = await graphqlOk(
    sg.url,
    'mutation($input: RegisterInput!) { register(input: $input) { accessToken refreshToken user { id email role } } }',
    { input: { email, password, name: email.split('@')[0] } },
  );
  return data.register as { accessToken: string; user: { id: string; email: string } };
}

async function checkout(token: string, items: Array<{ productId: string; quantity: number }>, key: string) {
  return graphql(
    sg.url,
    'mutation($input: CheckoutInput!) { checkout(input: $input) { id orderNumber status total { amount currencyCode } } }',
    { input: { idempotencyKey: key, items } },
    { token },
  );
}

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
    { levels: productIds.map((productId, i) => ({ productId, quantity: 10 + i })) },
    { token: adminToken },
  );
});

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
      expect(node.stock.available).toBe(10 + i);
      expect(node.inStock).toBe(true);
    });
  });

  it('lets a registered user see themself through `me`, and nobody without a token', async () => {
    const { accessToken, user } = await register('me-check@e2e.test');
    const me = await graphqlOk(sg.url, '{ me { id email role } }', {}, { token: accessToken });
    expect(me.me).toEqual({ id: user.id, email: 'me-check@e2e.test', role: 'CUSTOMER' });
    const anonymous = await graphqlOk(sg.url, '{ me { id } }');
    expect(anonymous.me).toBeNull();
  });

  it('shows an order with its user from users and its products from products; strangers get NOT_FOUND', async () => {
    const buyer = await register('buyer@e2e.test');
    const placed = await checkout(buyer.accessToken, [{ productId: productIds[0]!, quantity: 2 }, { productId: productIds[1]!, quantity: 1 }], 'order-e2e-0001');
    expect(placed.errors).toBeUndefined();
    expect(placed.data.checkout.status).toBe('PENDING_PAYMENT');
    const orderId = placed.data.checkout.id;

    const query = 'query($id: ID!) { order(id: $id) { orderNumber status total { amount } user { email } items { quantity unitPrice { amount } product { id name } } } }';
    const seen = await graphqlOk(sg.url, query, { id: orderId }, { token: buyer.accessToken });
    expect(seen.order.user).toEqual({ email: 'buyer@e2e.test' });
    expect(seen.order.items.map((i: any) => i.product.id)).toEqual([productIds[0], productIds[1]]);
    expect(seen.order.items.every((i: any) => typeof i.product.name === 'string' && i.product.name.length > 0)).toBe(true);
    const cents = (amount: string) => Math.round(Number(amount) * 100);
    const expected = seen.order.items.reduce((sum: number, i: any) => sum + cents(i.unitPrice.amount) * i.quantity, 0);
    expect(cents(seen.order.total.amount)).toBe(expected);

    const stranger = await register('stranger@e2e.test');
    const refused = await graphql(sg.url, query, { id: orderId }, { token: stranger.accessToken });
    expect(refused.data?.order ?? null).toBeNull();
    expect(errorCodes(refused)).toEqual(['NOT_FOUND']);

    const asAdmin = await graphqlOk(sg.url, query, { id: orderId }, { token: adminToken });
    expect(asAdmin.order.orderNumber).toBe(seen.order.orderNumber);

    const mine = await graphqlOk(sg.url, '{ me { orders(first: 5) { totalCount edges { node { id } } } } }', {}, { token: buyer.accessToken });
    expect(mine.me.orders.totalCount).toBe(1);
    expect(mine.me.orders.edges[0].node.id).toBe(orderId);
  });

  it('answers bad input with coded errors and writes nothing', async () => {
    await register('taken@e2e.test');
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

    const buyer = await register('bad-input@e2e.test');
    const unknownProduct = await checkout(buyer.accessToken, [{ productId: 'ffffffffffffffffffffffff', quantity: 1 }], 'order-e2e-bad-1');
    expect(errorCodes(unknownProduct)).toEqual(['BAD_USER_INPUT']);
    const zero = await checkout(buyer.accessToken, [{ productId: productIds[0]!, quantity: 0 }], 'order-e2e-bad-2');
    expect(errorCodes(zero)).toEqual(['BAD_USER_INPUT']);
    const none = await graphqlOk(sg.url, '{ me { orders { totalCount } } }', {}, { token: buyer.accessToken });
    expect(none.me.orders.totalCount).toBe(0);

    const anonymous = await checkout('', [{ productId: productIds[0]!, quantity: 1 }], 'order-e2e-bad-3');
    expect(errorCodes(anonymous)).toEqual(['UNAUTHENTICATED']);
  });
});

describe('data access batching (N+1 guard)', () => {
  const pageQuery = `query($first: Int!) { orders(first: $first) { edges { node {
    orderNumber user { email } items { quantity product { name price { amount } stock { available } } } } } } }`;

  beforeAll(async () => {
    // 60 orders from 12 customers over many different products.
    const buyers = await Promise.all(Array.from({ length: 12 }, (_, i) => register(`batch-${i}@e2e.test`)));
    for (let n = 0; n < 60; n++) {
      const buyer = buyers[n % buyers.length]!;
      const items = [0, 1, 2].map((k) => ({ productId: productIds[(n * 3 + k) % productIds.length]!, quantity: 1 + k }));
      const result = await checkout(buyer.accessToken, items, `batch-order-${n}`);
      expect(result.errors).toBeUndefined();
    }
  });

  async function measure(first: number) {
    sg.resetCounters();
    const data = await graphqlOk(sg.url, pageQuery, { first }, { token: adminToken });
    expect(data.orders.edges).toHaveLength(first);
    for (const { node } of data.orders.edges) {
      expect(node.user.email).toMatch(/@e2e\.test$/);
      for (const item of node.items) expect(item.product.name).toEqual(expect.any(String));
    }
    return sg.roundTrips();
  }

  it('reads a page of 50 orders with users, products and stock in a constant number of fetches and queries', async () => {
    const ten = await measure(10);
    const fifty = await measure(50);
    // One fetch per subgraph per level: orders, then users + products + inventory.
    expect(fifty.subgraphFetches).toBe(4);
    expect(fifty).toEqual(ten);
    expect(fifty.sql).toBeLessThanOrEqual(6);
    expect(fifty.productStore).toBe(1);
    process.stdout.write(`N+1 guard: 50 orders -> ${JSON.stringify(fifty)}\n`);
  });
});

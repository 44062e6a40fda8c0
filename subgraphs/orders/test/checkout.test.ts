import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { errorCodes, graphql, graphqlOk } from '@shop/testing';
import { CHECKOUT, newKey, startOrders, startProductsStandIn, token, type Harness, type ProductsStandIn } from './harness.js';

describe('checkout', () => {
  let products: ProductsStandIn;
  let orders: Harness;
  let alice: string;

  beforeAll(async () => {
    products = await startProductsStandIn({ 'p-shirt': '19.99', 'p-socks': '5.00', 'p-cap': '12.50' });
    orders = await startOrders({ productsUrl: products.url });
    alice = await token('user-alice');
  });

  afterAll(async () => {
    await orders?.stop();
    await products?.stop();
  });

  it('places a PENDING_PAYMENT order at catalog prices with exact decimal totals, asking the catalog once', async () => {
    const before = products.requests.length;
    const { checkout } = await graphqlOk(
      orders.url,
      CHECKOUT,
      { input: { idempotencyKey: newKey(), items: [{ productId: 'p-shirt', quantity: 3 }, { productId: 'p-socks', quantity: 1 }] } },
      { token: alice },
    );
    expect(products.requests.slice(before)).toEqual([['p-shirt', 'p-socks']]);
    expect(checkout.status).toBe('PENDING_PAYMENT');
    expect(checkout.orderNumber).toMatch(/^SO-\d{6,}$/);
    expect(checkout.user).toEqual({ id: 'user-alice' });
    expect(checkout.items).toEqual([
      {
        product: { id: 'p-shirt' },
        quantity: 3,
        unitPrice: { amount: '19.99', currencyCode: 'EUR' },
        lineTotal: { amount: '59.97', currencyCode: 'EUR' },
      },
      {
        product: { id: 'p-socks' },
        quantity: 1,
        unitPrice: { amount: '5.00', currencyCode: 'EUR' },
        lineTotal: { amount: '5.00', currencyCode: 'EUR' },
      },
    ]);
    expect(checkout.subtotal).toEqual({ amount: '64.97', currencyCode: 'EUR' });
    expect(checkout.total).toEqual({ amount: '64.97', currencyCode: 'EUR' });
    expect(checkout.statusHistory).toEqual([{ status: 'PENDING_PAYMENT', at: checkout.createdAt }]);
    expect(Date.now() - Date.parse(checkout.createdAt)).toBeLessThan(60_000);
  });

  it('gives every order its own order number', async () => {
    const numbers = await Promise.all(
      [1, 2, 3].map(async () => {
        const { checkout } = await graphqlOk(
          orders.url,
          CHECKOUT,
          { input: { idempotencyKey: newKey(), items: [{ productId: 'p-cap', quantity: 1 }] } },
          { token: alice },
        );
        return checkout.orderNumber as string;
      }),
    );
    expect(new Set(numbers).size).toBe(3);
  });

  it('merges a product listed twice into one line', async () => {
    const { checkout } = await graphqlOk(
      orders.url,
      CHECKOUT,
      {
        input: {
          idempotencyKey: newKey(),
          items: [
            { productId: 'p-socks', quantity: 2 },
            { productId: 'p-cap', quantity: 1 },
            { productId: 'p-socks', quantity: 3 },
          ],
        },
      },
      { token: alice },
    );
    expect(checkout.items.map((i: { product: { id: string }; quantity: number }) => [i.product.id, i.quantity])).toEqual([
      ['p-socks', 5],
      ['p-cap', 1],
    ]);
    expect(checkout.total.amount).toBe('37.50');
  });

  it('keeps the price paid when the catalog price changes later', async () => {
    products.setPrice('p-hat', '10.00');
    const { checkout } = await graphqlOk(
      orders.url,
      CHECKOUT,
      { input: { idempotencyKey: newKey(), items: [{ productId: 'p-hat', quantity: 2 }] } },
      { token: alice },
    );
    products.setPrice('p-hat', '99.00');
    const { order } = await graphqlOk(
      orders.url,
      'query($id: ID!) { order(id: $id) { total { amount } items { unitPrice { amount } } } }',
      { id: checkout.id },
      { token: alice },
    );
    expect(order).toEqual({ total: { amount: '20.00' }, items: [{ unitPrice: { amount: '10.00' } }] });
  });

  it('returns the same order for the same idempotency key, without a second order or catalog call', async () => {
    const input = { idempotencyKey: newKey(), items: [{ productId: 'p-shirt', quantity: 1 }] };
    const first = await graphqlOk(orders.url, CHECKOUT, { input }, { token: alice });
    const countsAfterFirst = await orders.rowCounts();
    const requestsAfterFirst = products.requests.length;
    const again = await graphqlOk(orders.url, CHECKOUT, { input }, { token: alice });
    expect(again.checkout).toEqual(first.checkout);
    expect(await orders.rowCounts()).toEqual(countsAfterFirst);
    expect(products.requests.length).toBe(requestsAfterFirst);
  });

  it('returns one order to concurrent checkouts with the same key', async () => {
    const before = await orders.rowCounts();
    const input = { idempotencyKey: newKey(), items: [{ productId: 'p-shirt', quantity: 2 }, { productId: 'p-cap', quantity: 1 }] };
    const results = await Promise.all(
      Array.from({ length: 8 }, () => graphqlOk(orders.url, CHECKOUT, { input }, { token: alice })),
    );
    const ids = new Set(results.map((r) => r.checkout.id));
    expect(ids.size).toBe(1);
    expect(await orders.rowCounts()).toEqual({ orders: before.orders + 1, items: before.items + 2, history: before.history + 1 });
  });

  it('refuses the same key with different items (CONFLICT) and leaves the first order as it was', async () => {
    const idempotencyKey = newKey();
    const first = await graphqlOk(
      orders.url,
      CHECKOUT,
      { input: { idempotencyKey, items: [{ productId: 'p-shirt', quantity: 1 }] } },
      { token: alice },
    );
    const before = await orders.rowCounts();
    for (const items of [[{ productId: 'p-shirt', quantity: 2 }], [{ productId: 'p-socks', quantity: 1 }], [{ productId: 'p-shirt', quantity: 1 }, { productId: 'p-cap', quantity: 1 }]]) {
      const result = await graphql(orders.url, CHECKOUT, { input: { idempotencyKey, items } }, { token: alice });
      expect(errorCodes(result)).toEqual(['CONFLICT']);
      expect(result.data).toBeNull();
    }
    expect(await orders.rowCounts()).toEqual(before);
    const { order } = await graphqlOk(orders.url, 'query($id: ID!) { order(id: $id) { items { quantity } } }', { id: first.checkout.id }, { token: alice });
    expect(order.items).toEqual([{ quantity: 1 }]);
  });

  it('lets two customers use the same key for their own orders', async () => {
    const idempotencyKey = newKey();
    const input = { idempotencyKey, items: [{ productId: 'p-cap', quantity: 1 }] };
    const a = await graphqlOk(orders.url, CHECKOUT, { input }, { token: alice });
    const b = await graphqlOk(orders.url, CHECKOUT, { input }, { token: await token('user-bob') });
    expect(a.checkout.id).not.toBe(b.checkout.id);
    expect(b.checkout.user.id).toBe('user-bob');
  });

  describe('refuses bad input with BAD_USER_INPUT naming the field, writing nothing', () => {
    const cases: Array<[string, { idempotencyKey: string; items: Array<{ productId: string; quantity: number }> }, string, RegExp]> = [
      ['an unknown product', { idempotencyKey: 'k-unknown-1', items: [{ productId: 'p-shirt', quantity: 1 }, { productId: 'p-nope', quantity: 1 }] }, 'input.items[1].productId', /p-nope/],
      ['no items', { idempotencyKey: 'k-empty-01', items: [] }, 'input.items', /at least one/],
      ['quantity 0', { idempotencyKey: 'k-zero-001', items: [{ productId: 'p-shirt', quantity: 0 }] }, 'input.items[0].quantity', /1 to 99/],
      ['negative quantity', { idempotencyKey: 'k-neg-0001', items: [{ productId: 'p-shirt', quantity: -2 }] }, 'input.items[0].quantity', /1 to 99/],
      ['quantity 100', { idempotencyKey: 'k-hundred1', items: [{ productId: 'p-shirt', quantity: 100 }] }, 'input.items[0].quantity', /1 to 99/],
      ['duplicates adding up past 99', { idempotencyKey: 'k-dupes-01', items: [{ productId: 'p-shirt', quantity: 60 }, { productId: 'p-shirt', quantity: 40 }] }, 'input.items[1].quantity', /1 to 99/],
      ['51 different products', { idempotencyKey: 'k-many-001', items: Array.from({ length: 51 }, (_, i) => ({ productId: `p-${i}`, quantity: 1 })) }, 'input.items', /at most 50/],
      ['an empty product id', { idempotencyKey: 'k-blank-01', items: [{ productId: ' ', quantity: 1 }] }, 'input.items[0].productId', /product id/],
      ['a 7-character key', { idempotencyKey: 'k-short', items: [{ productId: 'p-shirt', quantity: 1 }] }, 'input.idempotencyKey', /8 to 100/],
      ['a 101-character key', { idempotencyKey: 'k'.repeat(101), items: [{ productId: 'p-shirt', quantity: 1 }] }, 'input.idempotencyKey', /8 to 100/],
    ];
    it.each(cases)('%s', async (_name, input, field, message) => {
      const before = await orders.rowCounts();
      const result = await graphql(orders.url, CHECKOUT, { input }, { token: alice });
      expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
      expect(result.errors?.[0]?.extensions?.field).toBe(field);
      expect(result.errors?.[0]?.message).toMatch(message);
      expect(await orders.rowCounts()).toEqual(before);
    });
  });

  it('accepts exactly 50 different products at quantity 99', async () => {
    const items = Array.from({ length: 50 }, (_, i) => ({ productId: `p-bulk-${i}`, quantity: 99 }));
    items.forEach((item) => products.setPrice(item.productId, '0.01'));
    const { checkout } = await graphqlOk(orders.url, CHECKOUT, { input: { idempotencyKey: newKey(), items } }, { token: alice });
    expect(checkout.items).toHaveLength(50);
    expect(checkout.total.amount).toBe('49.50');
  });

  it('refuses products priced in different currencies', async () => {
    products.setPrice('p-usd', '3.00', 'USD');
    const before = await orders.rowCounts();
    const result = await graphql(
      orders.url,
      CHECKOUT,
      { input: { idempotencyKey: newKey(), items: [{ productId: 'p-shirt', quantity: 1 }, { productId: 'p-usd', quantity: 1 }] } },
      { token: alice },
    );
    expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors?.[0]?.message).toMatch(/same currency/);
    expect(await orders.rowCounts()).toEqual(before);
  });

  it('asks anonymous callers to sign in', async () => {
    const result = await graphql(orders.url, CHECKOUT, { input: { idempotencyKey: newKey(), items: [{ productId: 'p-shirt', quantity: 1 }] } });
    expect(errorCodes(result)).toEqual(['UNAUTHENTICATED']);
  });
});

describe('checkout when the products subgraph is down', () => {
  it('fails with a masked INTERNAL_SERVER_ERROR and writes nothing', async () => {
    const products = await startProductsStandIn({});
    const deadUrl = products.url;
    await products.stop();
    const orders = await startOrders({ productsUrl: deadUrl });
    try {
      const result = await graphql(
        orders.url,
        CHECKOUT,
        { input: { idempotencyKey: newKey(), items: [{ productId: 'p-shirt', quantity: 1 }] } },
        { token: await token('user-carol') },
      );
      expect(errorCodes(result)).toEqual(['INTERNAL_SERVER_ERROR']);
      expect(result.errors?.[0]?.message).toBe('Internal server error');
      expect(await orders.rowCounts()).toEqual({ orders: 0, items: 0, history: 0 });
    } finally {
      await orders.stop();
    }
  });
});

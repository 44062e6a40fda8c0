import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import { errorCodes, graphql, graphqlOk } from '@shop/testing';
import { orderIdFor } from '../../subgraphs/orders/src/orderId.js';
import {
  CHECKOUT,
  checkoutInput,
  newKey,
  startOrders,
  startProductsStandIn,
  startRouterStandIn,
  token,
  type ProductsStandIn,
  type RouterStandIn,
} from '../../subgraphs/orders/test/harness.js';
import { alice, cartOf, stack, useCheckoutStack } from './suite.js';

// What checkout refuses and how it fails: bad input, a write that cannot happen, services down.
// Every case ends with nothing written and no stock held. The paths that succeed: checkout.e2e.ts.
useCheckoutStack();

describe('checkout refusals', () => {
  describe('refuses bad input with BAD_USER_INPUT naming the field, holding and writing nothing', () => {
    const many = Array.from({ length: 51 }, (_, i) => ({ productId: `p-many-${i}`, quantity: 1 }));
    const cases: Array<[string, () => Record<string, string>, string, RegExp]> = [
      ['another customer\'s cart', () => checkoutInput(cartOf([{ productId: 'p-shirt', quantity: 1 }], 'user-bob')), 'input.cartId', /does not exist/],
      ['an unknown cart', () => checkoutInput('cart-unknown'), 'input.cartId', /does not exist/],
      ['an empty cart', () => checkoutInput(cartOf([])), 'input.cartId', /empty/],
      ['an unknown address', () => checkoutInput(cartOf([{ productId: 'p-shirt', quantity: 1 }]), { shippingAddressId: 'addr-x' }), 'input.shippingAddressId', /addr-x/],
      ['a method not offered', () => checkoutInput(cartOf([{ productId: 'p-shirt', quantity: 1 }]), { shippingMethodId: 'teleport' }), 'input.shippingMethodId', /not offered/],
      ['a product no longer sold', () => checkoutInput(cartOf([{ productId: 'p-shirt', quantity: 1 }, { productId: 'p-gone', quantity: 1 }])), 'input.cartId', /p-gone/],
      ['100 units of a product', () => checkoutInput(cartOf([{ productId: 'p-shirt', quantity: 60 }, { productId: 'p-shirt', quantity: 40 }])), 'input.cartId', /1 to 99/],
      ['51 different products', () => checkoutInput(cartOf(many)), 'input.cartId', /at most 50/],
      ['a blank cart id', () => checkoutInput(' '), 'input.cartId', /1 to 200/],
      ['a 7-character key', () => checkoutInput(cartOf([{ productId: 'p-shirt', quantity: 1 }]), { idempotencyKey: 'k-short' }), 'input.idempotencyKey', /8 to 100/],
      ['a 101-character key', () => checkoutInput(cartOf([{ productId: 'p-shirt', quantity: 1 }]), { idempotencyKey: 'k'.repeat(101) }), 'input.idempotencyKey', /8 to 100/],
    ];
    it.each(cases)('%s', async (_name, input, field, message) => {
      const before = await stack.orders.rowCounts();
      const shirt = await stack.stock('p-shirt');
      const result = await graphql(stack.orders.url, CHECKOUT, { input: input() }, { token: alice });
      expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
      expect(result.errors?.[0]?.extensions?.field).toBe(field);
      expect(result.errors?.[0]?.message).toMatch(message);
      expect(await stack.orders.rowCounts()).toEqual(before);
      expect(await stack.stock('p-shirt')).toEqual(shirt);
    });

    it('products priced in different currencies', async () => {
      stack.products.setPrice('p-usd', '3.00', 'USD');
      const result = await graphql(
        stack.orders.url,
        CHECKOUT,
        { input: checkoutInput(cartOf([{ productId: 'p-shirt', quantity: 1 }, { productId: 'p-usd', quantity: 1 }])) },
        { token: alice },
      );
      expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
      expect(result.errors?.[0]?.extensions?.field).toBe('input.cartId');
      expect(result.errors?.[0]?.message).toMatch(/same currency/);
    });

    it('shipping priced in another currency than the cart', async () => {
      stack.router.setRate('pound-post', '3.00', 'GBP');
      const result = await graphql(
        stack.orders.url,
        CHECKOUT,
        { input: checkoutInput(cartOf([{ productId: 'p-shirt', quantity: 1 }]), { shippingMethodId: 'pound-post' }) },
        { token: alice },
      );
      expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
      expect(result.errors?.[0]?.extensions?.field).toBe('input.shippingMethodId');
    });
  });

  it('answers CONFLICT naming the short products when stock runs out, holding and writing nothing', async () => {
    await stack.setStock('p-scarce', 1);
    await stack.setStock('p-none', 0);
    stack.products.setPrice('p-scarce', '1.00');
    stack.products.setPrice('p-none', '1.00');
    const before = await stack.orders.rowCounts();
    const result = await graphql(
      stack.orders.url,
      CHECKOUT,
      { input: checkoutInput(cartOf([{ productId: 'p-shirt', quantity: 1 }, { productId: 'p-scarce', quantity: 2 }, { productId: 'p-none', quantity: 1 }])) },
      { token: alice },
    );
    expect(errorCodes(result)).toEqual(['CONFLICT']);
    expect(result.errors?.[0]?.extensions?.reason).toBe('OUT_OF_STOCK');
    expect(result.errors?.[0]?.extensions?.productIds).toEqual(['p-scarce', 'p-none']);
    expect(result.errors?.[0]?.extensions?.products).toEqual([
      { productId: 'p-scarce', requested: 2, available: 1 },
      { productId: 'p-none', requested: 1, available: 0 },
    ]);
    expect(await stack.orders.rowCounts()).toEqual(before);
    expect(await stack.stock('p-scarce')).toEqual({ onHand: 1, reserved: 0, available: 1 });
  });

  it('asks anonymous callers to sign in', async () => {
    const result = await graphql(stack.orders.url, CHECKOUT, { input: checkoutInput(cartOf([{ productId: 'p-shirt', quantity: 1 }])) });
    expect(errorCodes(result)).toEqual(['UNAUTHENTICATED']);
  });

  it('still places the order when the cart cannot be emptied afterwards', async () => {
    const cartId = cartOf([{ productId: 'p-cap', quantity: 1 }]);
    const routerBefore = stack.router.requests.length;
    stack.router.clearCartFails = true;
    try {
      const { checkout } = await graphqlOk(stack.orders.url, CHECKOUT, { input: checkoutInput(cartId) }, { token: alice });
      expect(checkout.status).toBe('PENDING_PAYMENT');
    } finally {
      stack.router.clearCartFails = false;
    }
    expect(stack.router.requests.slice(routerBefore).map((r) => r.operationName)).toEqual(['OrdersCheckoutDetails', 'OrdersClearCart']);
    expect(stack.router.cartItems(cartId)).toEqual([{ productId: 'p-cap', quantity: 1 }]);
  });

  describe('when the order cannot be written', () => {
    // A trigger makes the order's transaction fail after inventory reserved its stock.
    beforeAll(async () => {
      await sql`
        CREATE FUNCTION refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'poisoned line'; END $$`.execute(stack.orders.store.db);
      await sql`
        CREATE TRIGGER refuse_poison BEFORE INSERT ON order_items
        FOR EACH ROW WHEN (NEW.product_id = 'p-poison') EXECUTE FUNCTION refuse_poison()`.execute(stack.orders.store.db);
      await stack.setStock('p-poison', 5);
      stack.products.setPrice('p-poison', '2.00');
    });

    it('writes no order and no event, and gives the stock back', async () => {
      const before = await stack.orders.rowCounts();
      const placedBefore = (await stack.orders.outbox()).length;
      const idempotencyKey = newKey();
      const result = await graphql(
        stack.orders.url,
        CHECKOUT,
        { input: checkoutInput(cartOf([{ productId: 'p-cap', quantity: 1 }, { productId: 'p-poison', quantity: 2 }]), { idempotencyKey }) },
        { token: alice },
      );
      expect(errorCodes(result)).toEqual(['INTERNAL_SERVER_ERROR']);
      expect(result.errors?.[0]?.message).toBe('Internal server error');
      expect(await stack.orders.rowCounts()).toEqual(before);
      expect(await stack.orders.outbox()).toHaveLength(placedBefore);
      const orderId = orderIdFor('user-alice', idempotencyKey);
      expect((await stack.reservation(orderId))?.status).toBe('RELEASED');
      expect(await stack.stock('p-poison')).toEqual({ onHand: 5, reserved: 0, available: 5 });
    });
  });

  it('fails with SUBGRAPH_UNAVAILABLE naming the router while it is down, writing nothing', async () => {
    stack.router.failing = true;
    try {
      const before = await stack.orders.rowCounts();
      const result = await graphql(stack.orders.url, CHECKOUT, { input: checkoutInput('cart-any') }, { token: alice });
      expect(errorCodes(result)).toEqual(['SUBGRAPH_UNAVAILABLE']);
      expect(result.errors?.[0]?.extensions?.serviceName).toBe('router');
      expect(await stack.orders.rowCounts()).toEqual(before);
    } finally {
      stack.router.failing = false;
    }
  });
});

describe('checkout when products or inventory is down', () => {
  let router: RouterStandIn;
  let products: ProductsStandIn;
  let deadUrl: string;

  beforeAll(async () => {
    router = await startRouterStandIn();
    products = await startProductsStandIn({ 'p-shirt': '19.99' });
    const dead = await startProductsStandIn({});
    deadUrl = dead.url;
    await dead.stop();
  });

  afterAll(async () => {
    await router?.stop();
    await products?.stop();
  });

  it.each([
    ['products', () => ({ productsUrl: deadUrl, routerUrl: router.url, inventoryUrl: deadUrl })],
    ['inventory', () => ({ productsUrl: products.url, routerUrl: router.url, inventoryUrl: deadUrl })],
  ])('fails with SUBGRAPH_UNAVAILABLE naming %s and writes nothing without it', async (name, urls) => {
    const orders = await startOrders(urls());
    try {
      const cartId = router.addCart('user-carol', [{ productId: 'p-shirt', quantity: 1 }]);
      const result = await graphql(orders.url, CHECKOUT, { input: checkoutInput(cartId) }, { token: await token('user-carol') });
      expect(errorCodes(result)).toEqual(['SUBGRAPH_UNAVAILABLE']);
      expect(result.errors?.[0]?.extensions?.serviceName).toBe(name);
      expect(await orders.rowCounts()).toEqual({ orders: 0, items: 0, history: 0 });
      expect(await orders.outbox()).toEqual([]);
    } finally {
      await orders.stop();
    }
  });
});

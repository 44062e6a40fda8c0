import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import { errorCodes, graphql, graphqlOk } from '@shop/testing';
import { orderIdFor } from '../../subgraphs/orders/src/orderId.js';
import {
  CHECKOUT,
  checkoutInput,
  HOME,
  newKey,
  STANDARD,
  startOrders,
  startProductsStandIn,
  startRouterStandIn,
  token,
  type Item,
  type ProductsStandIn,
  type RouterStandIn,
} from '../../subgraphs/orders/test/harness.js';
import { startCheckoutStack, type CheckoutStack } from './stack.js';

const PRICES = { 'p-shirt': '19.99', 'p-socks': '5.00', 'p-cap': '12.50', 'p-hat': '10.00' };

describe('checkout', () => {
  let stack: CheckoutStack;
  let alice: string;

  /** A cart of alice's with these items. */
  const cartOf = (items: Item[], owner = 'user-alice') => stack.router.addCart(owner, items);

  beforeAll(async () => {
    stack = await startCheckoutStack({ prices: PRICES });
    alice = await token('user-alice');
    for (const productId of Object.keys(PRICES)) await stack.setStock(productId, 1000);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('places the cart as a PENDING_PAYMENT order: catalog prices plus shipping, exact decimals, stock held', async () => {
    const routerBefore = stack.router.requests.length;
    const productsBefore = stack.products.requests.length;
    const stockBefore = await stack.stock('p-shirt');
    const cartId = cartOf([{ productId: 'p-shirt', quantity: 3 }, { productId: 'p-socks', quantity: 1 }]);
    const input = checkoutInput(cartId);

    const { checkout } = await graphqlOk(stack.orders.url, CHECKOUT, { input }, { token: alice });

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
    expect(checkout.shipping).toEqual({ amount: '4.99', currencyCode: 'EUR' });
    expect(checkout.discount).toEqual({ amount: '0.00', currencyCode: 'EUR' });
    expect(checkout.total).toEqual({ amount: '69.96', currencyCode: 'EUR' });
    expect(checkout.shippingMethodId).toBe(STANDARD);
    const { id: _id, ...address } = HOME;
    expect(checkout.shippingAddress).toEqual(address);
    expect(checkout.paymentFailures).toBe(0);
    expect(checkout.statusHistory).toEqual([{ status: 'PENDING_PAYMENT', at: checkout.createdAt, reason: null }]);
    // The id was fixed before anything was written: derived from the customer and the key.
    expect(checkout.id).toBe(orderIdFor('user-alice', input.idempotencyKey));

    // ONE read through the router (with the caller's own token), then the cart is emptied.
    const routerCalls = stack.router.requests.slice(routerBefore);
    expect(routerCalls.map((r) => r.operationName)).toEqual(['OrdersCheckoutDetails', 'OrdersClearCart']);
    expect(routerCalls.every((r) => r.authorization === `Bearer ${alice}`)).toBe(true);
    expect(routerCalls[0]!.variables).toEqual({ cartId, addressId: HOME.id, methodId: STANDARD });
    expect(stack.router.cartItems(cartId)).toEqual([]);
    // ONE price request to products.
    expect(stack.products.requests.slice(productsBefore)).toEqual([['p-shirt', 'p-socks']]);

    // The stock is held under the order's id.
    expect(await stack.reservation(checkout.id)).toEqual({
      status: 'ACTIVE',
      items: [
        { productId: 'p-shirt', warehouse: 'main', quantity: 3 },
        { productId: 'p-socks', warehouse: 'main', quantity: 1 },
      ],
    });
    expect(await stack.stock('p-shirt')).toEqual({
      onHand: stockBefore.onHand,
      reserved: stockBefore.reserved + 3,
      available: stockBefore.available - 3,
    });
  });

  it('writes order.placed to the outbox with the order, exactly as the catalogue defines it', async () => {
    const cartId = cartOf([{ productId: 'p-cap', quantity: 2 }]);
    const { checkout } = await graphqlOk(stack.orders.url, CHECKOUT, { input: checkoutInput(cartId) }, { token: alice });
    const placed = (await stack.orders.outbox('order.placed')).filter((e) => e.key === checkout.id);
    expect(placed).toHaveLength(1);
    expect(placed[0]).toMatchObject({ type: 'order.placed', source: 'orders', key: checkout.id });
    expect(placed[0]!.data).toEqual({
      orderId: checkout.id,
      orderNumber: checkout.orderNumber,
      userId: 'user-alice',
      currency: 'EUR',
      subtotalMinor: 2500,
      shippingMinor: 499,
      discountMinor: 0,
      totalMinor: 2999,
      promoCode: null,
      items: [{ productId: 'p-cap', quantity: 2, unitPriceMinor: 1250, discountMinor: 0 }],
      shippingMethodId: STANDARD,
      shippingAddress: { name: HOME.name, line1: HOME.line1, line2: null, city: HOME.city, postalCode: HOME.postalCode, country: HOME.country },
      placedAt: checkout.createdAt,
    });
  });

  it('gives every order its own order number', async () => {
    const numbers = await Promise.all(
      [1, 2, 3].map(async () => {
        const input = checkoutInput(cartOf([{ productId: 'p-cap', quantity: 1 }]));
        const { checkout } = await graphqlOk(stack.orders.url, CHECKOUT, { input }, { token: alice });
        return checkout.orderNumber as string;
      }),
    );
    expect(new Set(numbers).size).toBe(3);
  });

  it('merges a product listed twice in the cart into one line', async () => {
    const input = checkoutInput(
      cartOf([
        { productId: 'p-socks', quantity: 2 },
        { productId: 'p-cap', quantity: 1 },
        { productId: 'p-socks', quantity: 3 },
      ]),
    );
    const { checkout } = await graphqlOk(stack.orders.url, CHECKOUT, { input }, { token: alice });
    expect(checkout.items.map((i: { product: { id: string }; quantity: number }) => [i.product.id, i.quantity])).toEqual([
      ['p-socks', 5],
      ['p-cap', 1],
    ]);
    expect(checkout.subtotal.amount).toBe('37.50');
    expect(checkout.total.amount).toBe('42.49');
  });

  it('keeps the prices paid when the catalog and shipping prices change later', async () => {
    const { checkout } = await graphqlOk(
      stack.orders.url,
      CHECKOUT,
      { input: checkoutInput(cartOf([{ productId: 'p-hat', quantity: 2 }])) },
      { token: alice },
    );
    stack.products.setPrice('p-hat', '99.00');
    stack.router.setRate(STANDARD, '9.99');
    try {
      const { order } = await graphqlOk(
        stack.orders.url,
        'query($id: ID!) { order(id: $id) { total { amount } shipping { amount } items { unitPrice { amount } } } }',
        { id: checkout.id },
        { token: alice },
      );
      expect(order).toEqual({ total: { amount: '24.99' }, shipping: { amount: '4.99' }, items: [{ unitPrice: { amount: '10.00' } }] });
    } finally {
      stack.products.setPrice('p-hat', '10.00');
      stack.router.setRate(STANDARD, '4.99');
    }
  });

  it('returns the same order for the same key without asking anyone again or writing anything', async () => {
    const input = checkoutInput(cartOf([{ productId: 'p-shirt', quantity: 1 }]));
    const first = await graphqlOk(stack.orders.url, CHECKOUT, { input }, { token: alice });
    const counts = await stack.orders.rowCounts();
    const calls = [stack.router.requests.length, stack.products.requests.length];
    const again = await graphqlOk(stack.orders.url, CHECKOUT, { input }, { token: alice });
    expect(again.checkout).toEqual(first.checkout);
    expect(await stack.orders.rowCounts()).toEqual(counts);
    expect([stack.router.requests.length, stack.products.requests.length]).toEqual(calls);
  });

  it('returns one order, holding the stock once, to concurrent checkouts with the same key', async () => {
    await stack.setStock('p-race-key', 10);
    stack.products.setPrice('p-race-key', '3.00');
    const before = await stack.orders.rowCounts();
    const input = checkoutInput(cartOf([{ productId: 'p-race-key', quantity: 2 }, { productId: 'p-cap', quantity: 1 }]));
    const results = await Promise.all(
      Array.from({ length: 8 }, () => graphqlOk(stack.orders.url, CHECKOUT, { input }, { token: alice })),
    );
    const ids = new Set(results.map((r) => r.checkout.id));
    expect(ids.size).toBe(1);
    expect(await stack.orders.rowCounts()).toEqual({ orders: before.orders + 1, items: before.items + 2, history: before.history + 1 });
    expect(await stack.stock('p-race-key')).toEqual({ onHand: 10, reserved: 2, available: 8 });
    expect((await stack.reservation([...ids][0]!))?.status).toBe('ACTIVE');
    expect((await stack.orders.outbox('order.placed')).filter((e) => ids.has(e.key))).toHaveLength(1);
  });

  it('refuses the same key with another cart, address or method (CONFLICT) and leaves the first order as it was', async () => {
    const cartId = cartOf([{ productId: 'p-shirt', quantity: 1 }]);
    const input = checkoutInput(cartId);
    const first = await graphqlOk(stack.orders.url, CHECKOUT, { input }, { token: alice });
    const before = await stack.orders.rowCounts();
    for (const other of [
      { ...input, cartId: cartOf([{ productId: 'p-shirt', quantity: 1 }]) },
      { ...input, shippingAddressId: 'addr-office' },
      { ...input, shippingMethodId: 'express' },
    ]) {
      const result = await graphql(stack.orders.url, CHECKOUT, { input: other }, { token: alice });
      expect(errorCodes(result)).toEqual(['CONFLICT']);
      expect(result.errors?.[0]?.extensions).toMatchObject({ reason: 'IDEMPOTENCY_KEY_REUSED', field: 'input.idempotencyKey' });
      expect(result.data).toBeNull();
    }
    expect(await stack.orders.rowCounts()).toEqual(before);
    const { order } = await graphqlOk(stack.orders.url, 'query($id: ID!) { order(id: $id) { status } }', { id: first.checkout.id }, { token: alice });
    expect(order.status).toBe('PENDING_PAYMENT');
  });

  it('lets two customers use the same key for their own orders', async () => {
    const idempotencyKey = newKey();
    const a = await graphqlOk(
      stack.orders.url,
      CHECKOUT,
      { input: checkoutInput(cartOf([{ productId: 'p-cap', quantity: 1 }]), { idempotencyKey }) },
      { token: alice },
    );
    const b = await graphqlOk(
      stack.orders.url,
      CHECKOUT,
      { input: checkoutInput(cartOf([{ productId: 'p-cap', quantity: 1 }], 'user-bob'), { idempotencyKey }) },
      { token: await token('user-bob') },
    );
    expect(a.checkout.id).not.toBe(b.checkout.id);
    expect(b.checkout.user.id).toBe('user-bob');
  });

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

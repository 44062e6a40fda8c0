import { describe, expect, it } from '@jest/globals';
import { errorCodes, graphql, graphqlOk } from '@shop/testing';
import { orderIdFor } from '../../subgraphs/orders/src/orderId.js';
import {
  CHECKOUT,
  checkoutInput,
  HOME,
  newKey,
  STANDARD,
  token,
} from '../../subgraphs/orders/test/harness.js';
import { alice, cartOf, stack, useCheckoutStack } from './suite.js';

useCheckoutStack();

describe('checkout', () => {
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
});

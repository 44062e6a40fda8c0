import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { errorCodes, graphql, graphqlOk } from '@shop/testing';
import { CHECKOUT, checkoutInput, token } from '../../subgraphs/orders/test/harness.js';
import { startCheckoutStack, until, type CheckoutStack } from './stack.js';

const ORDER = 'query($id: ID!) { order(id: $id) { id status paymentFailures statusHistory { status reason } } }';
const CANCEL = 'mutation($id: ID!) { cancelOrder(id: $id) { id status } }';
const FULFIL = 'mutation($id: ID!) { fulfilOrder(id: $id) { id status } }';
const RETURN = 'mutation($id: ID!, $reason: String) { requestReturn(id: $id, reason: $reason) { id status statusHistory { status reason } } }';
const REFUND = 'mutation($id: ID!) { refundOrder(id: $id) { id status } }';

interface OrderView {
  id: string;
  status: string;
  paymentFailures: number;
  statusHistory: Array<{ status: string; reason: string | null }>;
}

describe('checkout under contention (orders + inventory on real PostgreSQL)', () => {
  let stack: CheckoutStack;

  beforeAll(async () => {
    stack = await startCheckoutStack();
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('never oversells: 12 customers race for 5 units, 20 times over; exactly 5 win each time', async () => {
    const buyers = await Promise.all(Array.from({ length: 12 }, (_, i) => token(`racer-${i}`)));
    const figures: string[] = [];
    for (let round = 1; round <= 20; round += 1) {
      const productId = `p-race-${round}`;
      stack.products.setPrice(productId, '7.50');
      await stack.setStock(productId, 5);
      const ordersBefore = (await stack.orders.rowCounts()).orders;
      const results = await Promise.all(
        buyers.map((buyer, i) =>
          graphql(
            stack.orders.url,
            CHECKOUT,
            { input: checkoutInput(stack.router.addCart(`racer-${i}`, [{ productId, quantity: 1 }])) },
            { token: buyer },
          ),
        ),
      );
      const won = results.filter((r) => !r.errors && r.data?.checkout?.status === 'PENDING_PAYMENT');
      const lost = results.filter((r) => errorCodes(r).join() === 'CONFLICT');
      const stock = await stack.stock(productId);
      figures.push(`round ${round}: ${won.length} placed, ${lost.length} CONFLICT, reserved ${stock.reserved}, available ${stock.available}`);
      expect(won).toHaveLength(5);
      expect(lost).toHaveLength(7);
      for (const result of lost) expect(result.errors?.[0]?.extensions?.productIds).toEqual([productId]);
      expect(stock).toEqual({ onHand: 5, reserved: 5, available: 0 });
      expect((await stack.orders.rowCounts()).orders).toBe(ordersBefore + 5);
      const reservations = await Promise.all(won.map((r) => stack.reservation(r.data.checkout.id)));
      expect(reservations.map((r) => r?.status)).toEqual(Array(5).fill('ACTIVE'));
    }
    process.stdout.write(`12-way race, 5 in stock:\n  ${figures.join('\n  ')}\n`);
  }, 180_000);
});

describe('the order saga (orders + inventory + events on one bus)', () => {
  let stack: CheckoutStack;
  let alice: string;
  let admin: string;

  async function order(id: string, as = alice): Promise<OrderView> {
    return (await graphqlOk<{ order: OrderView }>(stack.orders.url, ORDER, { id }, { token: as })).order;
  }

  async function checkout(productId: string, quantity: number): Promise<string> {
    const input = checkoutInput(stack.router.addCart('user-alice', [{ productId, quantity }]));
    const { checkout: placed } = await graphqlOk(stack.orders.url, CHECKOUT, { input }, { token: alice });
    expect(placed.status).toBe('PENDING_PAYMENT');
    return placed.id as string;
  }

  async function paid(productId: string, quantity: number): Promise<string> {
    const id = await checkout(productId, quantity);
    await stack.publish('payments', 'payment.succeeded', paymentData(id));
    await until(async () => (await stack.reservation(id))?.status === 'COMMITTED');
    return id;
  }

  const paymentData = (orderId: string) => ({
    paymentId: `pay-${orderId}`,
    orderId,
    amountMinor: 100,
    currency: 'EUR',
    provider: 'simulated',
    providerPaymentId: `pi_${orderId}`,
  });

  beforeAll(async () => {
    stack = await startCheckoutStack();
    alice = await token('user-alice');
    admin = stack.adminToken;
  });

  afterAll(async () => {
    await stack?.stop();
  });

  /** A product with `units` on hand that nothing else in this file touches. */
  let products = 0;
  async function product(units: number): Promise<string> {
    products += 1;
    const id = `p-saga-${products}`;
    stack.products.setPrice(id, '10.00');
    await stack.setStock(id, units);
    return id;
  }

  it('reserves at checkout, and payment makes the order PAID and commits the stock', async () => {
    const productId = await product(10);
    const id = await checkout(productId, 3);
    expect(await stack.stock(productId)).toEqual({ onHand: 10, reserved: 3, available: 7 });
    expect((await stack.reservation(id))?.status).toBe('ACTIVE');

    await stack.publish('payments', 'payment.succeeded', paymentData(id));
    await until(async () => (await order(id)).status === 'PAID', 'the order to become PAID');
    await until(async () => (await stack.reservation(id))?.status === 'COMMITTED', 'the reservation to be committed');
    expect(await stack.stock(productId)).toEqual({ onHand: 7, reserved: 0, available: 7 });
    expect((await order(id)).statusHistory).toEqual([
      { status: 'PENDING_PAYMENT', reason: null },
      { status: 'PAID', reason: 'payment succeeded' },
    ]);

    // The events went out as the catalogue says, each through its producer's outbox.
    await until(() => stack.events.some((e) => e.type === 'stock.reservation_committed' && e.key === id));
    const changed = stack.events.find((e) => e.type === 'order.status_changed' && e.key === id);
    expect(changed?.data).toEqual({
      orderId: id,
      orderNumber: expect.stringMatching(/^SO-/),
      userId: 'user-alice',
      from: 'PENDING_PAYMENT',
      to: 'PAID',
      at: expect.any(String),
      reason: 'payment succeeded',
    });
    expect(stack.events.find((e) => e.type === 'stock.reserved' && e.key === id)?.data).toEqual({
      orderId: id,
      items: [{ productId, quantity: 3 }],
      expiresAt: expect.any(String),
    });
    expect(stack.events.filter((e) => e.type === 'stock.changed' && e.key === productId).map((e) => e.data)).toEqual([
      { productId, available: 10, reserved: 0, onHand: 10, inStock: true, previousAvailable: 0 },
      { productId, available: 7, reserved: 3, onHand: 10, inStock: true, previousAvailable: 10 },
      { productId, available: 7, reserved: 0, onHand: 7, inStock: true, previousAvailable: 7 },
    ]);

    // The subscriptions heard of it too: the status change, and each stock movement.
    expect(stack.messages.get('orders.status-changed')).toContainEqual({ orderId: id, userId: 'user-alice', status: 'PAID' });
    expect(stack.messages.get('inventory.stock-changed')!.filter((m) => (m as { productId: string }).productId === productId)).toHaveLength(3);
  });

  it('gives the stock back when the customer cancels, before and after paying', async () => {
    const productId = await product(5);
    const unpaid = await checkout(productId, 2);
    await graphqlOk(stack.orders.url, CANCEL, { id: unpaid }, { token: alice });
    await until(async () => (await stack.reservation(unpaid))?.status === 'RELEASED');
    expect(await stack.stock(productId)).toEqual({ onHand: 5, reserved: 0, available: 5 });

    const settled = await paid(productId, 1);
    expect(await stack.stock(productId)).toEqual({ onHand: 4, reserved: 0, available: 4 });
    await graphqlOk(stack.orders.url, CANCEL, { id: settled }, { token: alice });
    await until(async () => (await stack.reservation(settled))?.status === 'RELEASED');
    expect(await stack.stock(productId)).toEqual({ onHand: 5, reserved: 0, available: 5 });
    expect((await order(settled)).statusHistory.map((h) => [h.status, h.reason])).toEqual([
      ['PENDING_PAYMENT', null],
      ['PAID', 'payment succeeded'],
      ['CANCELLED', 'cancelled by the customer'],
    ]);
  });

  it('handles a redelivered event once: no second status change, no second stock movement', async () => {
    const productId = await product(4);
    const id = await checkout(productId, 1);
    const payment = await stack.publish('payments', 'payment.succeeded', paymentData(id));
    await until(async () => (await stack.reservation(id))?.status === 'COMMITTED');

    // The same envelope again (as Redis would after a crash), and the order's own PAID event again.
    const paidEvent = stack.events.find((e) => e.type === 'order.status_changed' && e.key === id && (e.data as { to: string }).to === 'PAID')!;
    await stack.bus.publish([payment, paidEvent]);
    // A different payment event for the same order is new to us, but the order is PAID already.
    await stack.publish('payments', 'payment.succeeded', paymentData(id));
    await stack.settle();

    expect((await order(id)).statusHistory.map((h) => h.status)).toEqual(['PENDING_PAYMENT', 'PAID']);
    expect(await stack.stock(productId)).toEqual({ onHand: 3, reserved: 0, available: 3 });
    expect(stack.events.filter((e) => e.type === 'stock.reservation_committed' && e.key === id)).toHaveLength(1);
    expect((await stack.orders.outbox('order.status_changed')).filter((e) => e.key === id)).toHaveLength(1);
  });

  it('counts failed payments without leaving PENDING_PAYMENT, and ignores a payment for a cancelled order', async () => {
    const productId = await product(3);
    const id = await checkout(productId, 1);
    await stack.publish('payments', 'payment.failed', { paymentId: 'p1', orderId: id, amountMinor: 100, currency: 'EUR', reason: 'card_declined' });
    await stack.publish('payments', 'payment.failed', { paymentId: 'p2', orderId: id, amountMinor: 100, currency: 'EUR', reason: 'card_declined' });
    await until(async () => (await order(id)).paymentFailures === 2);
    expect((await order(id)).statusHistory.map((h) => h.status)).toEqual(['PENDING_PAYMENT']);

    await graphqlOk(stack.orders.url, CANCEL, { id }, { token: alice });
    await stack.publish('payments', 'payment.succeeded', paymentData(id));
    await stack.settle();
    expect((await order(id)).status).toBe('CANCELLED');
    await until(async () => (await stack.reservation(id))?.status === 'RELEASED');
  });

  it('ships, delivers, takes a return and refunds, along the status machine', async () => {
    const productId = await product(3);
    const shippedFromPaid = await paid(productId, 1);
    await stack.publish('shipping', 'shipment.created', { shipmentId: 's-1', orderId: shippedFromPaid, carrier: 'DHL', trackingNumber: 'T1' });
    await until(async () => (await order(shippedFromPaid)).status === 'SHIPPED');

    const id = await paid(productId, 1);
    const fulfilling = await graphqlOk(stack.orders.url, FULFIL, { id }, { token: admin });
    expect(fulfilling.fulfilOrder.status).toBe('FULFILLING');
    await stack.publish('shipping', 'shipment.created', { shipmentId: 's-2', orderId: id, carrier: 'DHL', trackingNumber: 'T2' });
    await until(async () => (await order(id)).status === 'SHIPPED');
    await stack.publish('shipping', 'shipment.delivered', { shipmentId: 's-2', orderId: id });
    await until(async () => (await order(id)).status === 'DELIVERED');

    const returned = await graphqlOk(stack.orders.url, RETURN, { id, reason: '  too small  ' }, { token: alice });
    expect(returned.requestReturn.status).toBe('RETURN_REQUESTED');
    expect(returned.requestReturn.statusHistory.at(-1)).toEqual({ status: 'RETURN_REQUESTED', reason: 'too small' });
    const refunded = await graphqlOk(stack.orders.url, REFUND, { id }, { token: admin });
    expect(refunded.refundOrder.status).toBe('REFUNDED');
    expect((await order(id)).statusHistory.map((h) => h.status)).toEqual([
      'PENDING_PAYMENT',
      'PAID',
      'FULFILLING',
      'SHIPPED',
      'DELIVERED',
      'RETURN_REQUESTED',
      'REFUNDED',
    ]);
    // The stock left when it was paid and stays gone: returns are counted back by the warehouse.
    expect(await stack.stock(productId)).toEqual({ onHand: 1, reserved: 0, available: 1 });
  });

  it('moves a returned order to REFUNDED when payments reports the refund', async () => {
    const productId = await product(1);
    const id = await paid(productId, 1);
    await stack.publish('shipping', 'shipment.created', { shipmentId: 's-3', orderId: id, carrier: 'UPS', trackingNumber: 'T3' });
    await stack.publish('shipping', 'shipment.delivered', { shipmentId: 's-3', orderId: id });
    await until(async () => (await order(id)).status === 'DELIVERED');
    await graphqlOk(stack.orders.url, RETURN, { id }, { token: alice });
    await stack.publish('payments', 'payment.refunded', { paymentId: 'pay', orderId: id, amountMinor: 100, currency: 'EUR' });
    await until(async () => (await order(id)).status === 'REFUNDED');
  });

  it('refuses illegal transitions with CONFLICT and changes nothing', async () => {
    const productId = await product(5);
    const pending = await checkout(productId, 1);
    const cases: Array<[string, string, Record<string, unknown>, string]> = [
      ['fulfil an unpaid order', FULFIL, { id: pending }, admin],
      ['refund an unpaid order', REFUND, { id: pending }, admin],
      ['return an undelivered order', RETURN, { id: pending }, alice],
    ];
    for (const [what, mutation, variables, as] of cases) {
      const result = await graphql(stack.orders.url, mutation, variables, { token: as });
      expect([what, errorCodes(result)]).toEqual([what, ['CONFLICT']]);
      expect(result.errors?.[0]?.message).toMatch(/PENDING_PAYMENT cannot become/);
    }
    await graphqlOk(stack.orders.url, CANCEL, { id: pending }, { token: alice });
    const again = await graphql(stack.orders.url, CANCEL, { id: pending }, { token: admin });
    expect(errorCodes(again)).toEqual(['CONFLICT']);
    expect((await order(pending)).statusHistory.map((h) => h.status)).toEqual(['PENDING_PAYMENT', 'CANCELLED']);
  });

  it('keeps the admin commands for ADMINs and returns for the customer who ordered', async () => {
    const productId = await product(2);
    const id = await paid(productId, 1);
    expect(errorCodes(await graphql(stack.orders.url, FULFIL, { id }, { token: alice }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await graphql(stack.orders.url, REFUND, { id }, { token: alice }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await graphql(stack.orders.url, RETURN, { id }, { token: await token('user-bob') }))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await graphql(stack.orders.url, RETURN, { id }, { token: admin }))).toEqual(['FORBIDDEN']);
    const long = await graphql(stack.orders.url, RETURN, { id, reason: 'x'.repeat(501) }, { token: alice });
    expect(errorCodes(long)).toEqual(['BAD_USER_INPUT']);
    expect(long.errors?.[0]?.extensions?.field).toBe('reason');
    expect(errorCodes(await graphql(stack.orders.url, FULFIL, { id }))).toEqual(['UNAUTHENTICATED']);
    expect((await order(id)).status).toBe('PAID');
  });

  it('gives the same order and one reservation for the same key, also when sent concurrently', async () => {
    const productId = await product(6);
    const input = checkoutInput(stack.router.addCart('user-alice', [{ productId, quantity: 2 }]));
    const first = await graphqlOk(stack.orders.url, CHECKOUT, { input }, { token: alice });
    const again = await graphqlOk(stack.orders.url, CHECKOUT, { input }, { token: alice });
    expect(again.checkout.id).toBe(first.checkout.id);

    const concurrentInput = checkoutInput(stack.router.addCart('user-alice', [{ productId, quantity: 2 }]));
    const racing = await Promise.all(
      Array.from({ length: 6 }, () => graphqlOk(stack.orders.url, CHECKOUT, { input: concurrentInput }, { token: alice })),
    );
    expect(new Set(racing.map((r) => r.checkout.id)).size).toBe(1);
    expect(await stack.stock(productId)).toEqual({ onHand: 6, reserved: 4, available: 2 });
    await until(() => stack.events.some((e) => e.type === 'stock.reserved' && e.key === racing[0]!.checkout.id));
    expect(stack.events.filter((e) => e.type === 'stock.reserved' && e.key === racing[0]!.checkout.id)).toHaveLength(1);
  });
});

describe('the payment window (reservations that expire)', () => {
  let stack: CheckoutStack;
  // Inventory's clock: the test moves it past the payment window instead of waiting it out.
  let nowMs = Date.now();

  beforeAll(async () => {
    stack = await startCheckoutStack({ reservationTtlSeconds: 60, reservationSweepMs: 50, clock: () => new Date(nowMs) });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('cancels an unpaid order once its reservation expires, giving the stock back', async () => {
    const alice = await token('user-alice');
    stack.products.setPrice('p-slow', '10.00');
    await stack.setStock('p-slow', 2);
    const input = checkoutInput(stack.router.addCart('user-alice', [{ productId: 'p-slow', quantity: 2 }]));
    const { checkout } = await graphqlOk(stack.orders.url, CHECKOUT, { input }, { token: alice });
    expect(await stack.stock('p-slow')).toEqual({ onHand: 2, reserved: 2, available: 0 });

    nowMs += 61_000;
    await until(async () => {
      const { order } = await graphqlOk(stack.orders.url, ORDER, { id: checkout.id }, { token: alice });
      return order.status === 'CANCELLED';
    }, 'the order to be cancelled');
    const { order } = await graphqlOk(stack.orders.url, ORDER, { id: checkout.id }, { token: alice });
    expect(order.statusHistory).toEqual([
      { status: 'PENDING_PAYMENT', reason: null },
      { status: 'CANCELLED', reason: 'payment window expired' },
    ]);
    expect((await stack.reservation(checkout.id))?.status).toBe('EXPIRED');
    expect(await stack.stock('p-slow')).toEqual({ onHand: 2, reserved: 0, available: 2 });
    expect(stack.events.find((e) => e.type === 'stock.reservation_released' && e.key === checkout.id)?.data).toEqual({
      orderId: checkout.id,
      reason: 'expired',
    });
  });
});

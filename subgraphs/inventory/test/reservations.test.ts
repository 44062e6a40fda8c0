import { describe, expect, it } from '@jest/globals';
import { errorCodes, graphql, graphqlOk, serviceHeaders } from '@shop/testing';
import {
  RELEASE,
  RESERVE,
  advanceClock,
  alice,
  bob,
  eventsAbout,
  expectError,
  fresh,
  nowMs,
  published,
  reserve,
  reserved,
  setStock,
  statusOf,
  stock,
  subgraph,
  url,
  useReservationStack,
} from './reservationStack.js';

useReservationStack('inventory_reservations');

describe('reserveStock', () => {
  it("refuses a customer's own token, through the router but not from the orders service: FORBIDDEN, nothing held", async () => {
    const lamp = fresh('lamp');
    await setStock(lamp, 5);
    const orderId = fresh('order');
    // Search is no caller of inventory at all (UNAUTHENTICATED); cart is one, for holds only (FORBIDDEN).
    for (const headers of [{} as Record<string, string>, await serviceHeaders('search', 'inventory')]) {
      const direct = await graphql(url, RESERVE, { orderId, items: [{ productId: lamp, quantity: 5 }] }, { token: alice, headers });
      expect(errorCodes(direct)).toEqual(headers['x-service-token'] ? ['UNAUTHENTICATED'] : ['FORBIDDEN']);
      expect(errorCodes(await graphql(url, RELEASE, { orderId }, { token: alice, headers }))).toEqual(headers['x-service-token'] ? ['UNAUTHENTICATED'] : ['FORBIDDEN']);
    }
    const fromCart = await graphql(url, RESERVE, { orderId, items: [{ productId: lamp, quantity: 5 }] }, { token: alice, headers: await serviceHeaders('cart', 'inventory') });
    expect(errorCodes(fromCart)).toEqual(['FORBIDDEN']);
    expect(await statusOf(orderId)).toBeUndefined();
    expect(await stock(lamp)).toEqual({ onHand: 5, reserved: 0, available: 5 });
  });

  it('holds units for an order and says where they are held', async () => {
    const [a, b] = [fresh('lamp'), fresh('bulb')];
    await setStock(a, 5);
    await setStock(b, 2);
    const orderId = fresh('order');
    const reservation = await reserved(orderId, [{ productId: b, quantity: 2 }, { productId: a, quantity: 3 }]);
    expect(reservation).toMatchObject({
      orderId,
      status: 'ACTIVE',
      items: [
        { productId: a, warehouse: 'main', quantity: 3 },
        { productId: b, warehouse: 'main', quantity: 2 },
      ].sort((x, y) => (x.productId < y.productId ? -1 : 1)),
    });
    // The subgraph's default time: RESERVATION_TTL_SECONDS, 900, from its clock's now.
    expect(Date.parse(reservation.expiresAt) - nowMs).toBe(900_000);
    expect(await stock(a)).toEqual({ onHand: 5, reserved: 3, available: 2 });
    expect(await stock(b)).toEqual({ onHand: 2, reserved: 2, available: 0 });

    await published();
    expect(eventsAbout(orderId, 'stock.reserved').map((e) => e.data)).toEqual([
      { orderId, items: [{ productId: a, quantity: 3 }, { productId: b, quantity: 2 }].sort((x, y) => (x.productId < y.productId ? -1 : 1)), expiresAt: reservation.expiresAt },
    ]);
    expect(eventsAbout(a, 'stock.changed').map((e) => e.data)).toEqual([
      { productId: a, available: 5, reserved: 0, onHand: 5, inStock: true, previousAvailable: 0 },
      { productId: a, available: 2, reserved: 3, onHand: 5, inStock: true, previousAvailable: 5 },
    ]);
    expect(eventsAbout(b, 'stock.changed').at(-1)?.data).toEqual({ productId: b, available: 0, reserved: 2, onHand: 2, inStock: false, previousAvailable: 2 });
  });

  it('takes units from the warehouses with the most free first, splitting only when it must', async () => {
    const id = fresh('rug');
    await setStock(id, 4, 'east');
    await setStock(id, 6, 'main');
    const first = await reserved(fresh('order'), [{ productId: id, quantity: 5 }]);
    expect(first.items).toEqual([{ productId: id, warehouse: 'main', quantity: 5 }]);
    const second = await reserved(fresh('order'), [{ productId: id, quantity: 5 }]);
    expect(second.items).toEqual([
      { productId: id, warehouse: 'east', quantity: 4 },
      { productId: id, warehouse: 'main', quantity: 1 },
    ]);
    expect(await stock(id)).toEqual({ onHand: 10, reserved: 10, available: 0 });
  });

  it('is all or nothing: one short product fails the whole reservation with CONFLICT naming each short product', async () => {
    const [plenty, scarce, none] = [fresh('plenty'), fresh('scarce'), fresh('none')];
    await setStock(plenty, 100);
    await setStock(scarce, 1);
    const orderId = fresh('order');
    const result = await reserve(orderId, [
      { productId: plenty, quantity: 10 },
      { productId: scarce, quantity: 2 },
      { productId: none, quantity: 1 },
    ]);
    expectError(result, 'CONFLICT', 'items');
    expect(result.errors?.[0]?.extensions?.products).toEqual([
      { productId: scarce, requested: 2, available: 1 },
      { productId: none, requested: 1, available: 0 },
    ]);
    expect(result.errors?.[0]?.message).toContain(`${scarce} (1 available, 2 asked)`);
    expect(await stock(plenty)).toEqual({ onHand: 100, reserved: 0, available: 100 });
    expect(await statusOf(orderId)).toBeUndefined();
    // A failed attempt leaves the order id free for a later one.
    await setStock(scarce, 2);
    await setStock(none, 1);
    expect((await reserved(orderId, [{ productId: scarce, quantity: 2 }, { productId: none, quantity: 1 }])).status).toBe('ACTIVE');
  });

  it('returns the existing reservation for a repeat with the same order id, holding nothing more', async () => {
    const id = fresh('chair');
    await setStock(id, 10);
    const orderId = fresh('order');
    const first = await reserved(orderId, [{ productId: id, quantity: 2 }]);
    const again = await reserved(orderId, [{ productId: id, quantity: 2 }]);
    expect(again).toEqual(first);
    const racing = await Promise.all(Array.from({ length: 8 }, () => reserved(orderId, [{ productId: id, quantity: 2 }])));
    expect(racing.every((r) => r.expiresAt === first.expiresAt)).toBe(true);
    expect(await stock(id)).toEqual({ onHand: 10, reserved: 2, available: 8 });
    await published();
    expect(eventsAbout(orderId, 'stock.reserved')).toHaveLength(1);
  });

  it('reserves under a new order id once per id, also when the first requests race', async () => {
    const id = fresh('stool');
    await setStock(id, 10);
    const orderId = fresh('order');
    const racing = await Promise.all(Array.from({ length: 8 }, () => reserved(orderId, [{ productId: id, quantity: 3 }])));
    expect(new Set(racing.map((r) => r.createdAt)).size).toBe(1);
    expect(await stock(id)).toEqual({ onHand: 10, reserved: 3, available: 7 });
  });

  it("refuses another customer's order id (CONFLICT) and leaves that reservation alone", async () => {
    const id = fresh('vase');
    await setStock(id, 3);
    const orderId = fresh('order');
    await reserved(orderId, [{ productId: id, quantity: 1 }], alice);
    expectError(await reserve(orderId, [{ productId: id, quantity: 1 }], bob), 'CONFLICT', 'orderId');
    expect(await stock(id)).toEqual({ onHand: 3, reserved: 1, available: 2 });
  });

  it('never deadlocks and never oversells: 40 orders of the same 3 products, listed in every order, for 30 in stock; exactly 30 win', async () => {
    const [a, b, c] = [fresh('x'), fresh('y'), fresh('z')];
    await Promise.all([setStock(a, 30), setStock(b, 30), setStock(c, 30)]);
    // Every permutation: two orders listing the products in opposite orders are what deadlocks a
    // store that locks rows in the order a request names them.
    const shapes = [[a, b, c], [a, c, b], [b, a, c], [b, c, a], [c, a, b], [c, b, a]];
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        reserve(
          fresh('order'),
          shapes[i % shapes.length]!.map((productId) => ({ productId, quantity: 1 })),
        ),
      ),
    );
    const codes = results.map((r) => errorCodes(r)[0] ?? 'OK');
    expect(codes.filter((code) => code === 'OK')).toHaveLength(30);
    const refusals = results.flatMap((r) => r.errors ?? []);
    expect(refusals.map((e) => [e.extensions?.code, e.extensions?.reason])).toEqual(Array(10).fill(['CONFLICT', 'OUT_OF_STOCK']));
    for (const r of results) {
      if (r.data?.reserveStock) expect(r.data.reserveStock.items.map((item: { quantity: number }) => item.quantity)).toEqual([1, 1, 1]);
    }
    for (const id of [a, b, c]) expect(await stock(id)).toEqual({ onHand: 30, reserved: 30, available: 0 });
  });

  it.each([
    ['a bad order id', { orderId: 'has space', items: [{ productId: 'p', quantity: 1 }] }, 'orderId'],
    ['no items', { orderId: 'o-1', items: [] }, 'items'],
    ['a bad product id', { orderId: 'o-1', items: [{ productId: "x'y", quantity: 1 }] }, 'items[0].productId'],
    ['quantity 0', { orderId: 'o-1', items: [{ productId: 'p', quantity: 0 }] }, 'items[0].quantity'],
    ['101 products', { orderId: 'o-1', items: Array.from({ length: 101 }, (_, i) => ({ productId: `p-${i}`, quantity: 1 })) }, 'items'],
    ['ttlSeconds 0', { orderId: 'o-1', items: [{ productId: 'p', quantity: 1 }], ttlSeconds: 0 }, 'ttlSeconds'],
    ['ttlSeconds above a day', { orderId: 'o-1', items: [{ productId: 'p', quantity: 1 }], ttlSeconds: 86_401 }, 'ttlSeconds'],
  ])('refuses %s as BAD_USER_INPUT naming the field', async (_what, args, field) => {
    expectError(await reserve(args.orderId, args.items, alice, (args as { ttlSeconds?: number }).ttlSeconds), 'BAD_USER_INPUT', field);
  });

  it('needs a signed-in caller', async () => {
    expectError(await reserve('o-anon', [{ productId: 'p', quantity: 1 }], ''), 'UNAUTHENTICATED');
    expectError(await graphql(url, RELEASE, { orderId: 'o-anon' }, { headers: await serviceHeaders('orders', 'inventory') }), 'UNAUTHENTICATED');
  });
});

describe('releaseReservation', () => {
  it("gives back the caller's active reservation once, and nobody else's", async () => {
    const id = fresh('desk');
    await setStock(id, 4);
    const orderId = fresh('order');
    await reserved(orderId, [{ productId: id, quantity: 3 }]);
    expect((await graphqlOk(url, RELEASE, { orderId }, { token: bob, headers: await serviceHeaders('orders', 'inventory') })).releaseReservation).toBe(false);
    expect(await stock(id)).toEqual({ onHand: 4, reserved: 3, available: 1 });
    expect((await graphqlOk(url, RELEASE, { orderId }, { token: alice, headers: await serviceHeaders('orders', 'inventory') })).releaseReservation).toBe(true);
    expect((await graphqlOk(url, RELEASE, { orderId }, { token: alice, headers: await serviceHeaders('orders', 'inventory') })).releaseReservation).toBe(false);
    expect((await graphqlOk(url, RELEASE, { orderId: fresh('unknown') }, { token: alice, headers: await serviceHeaders('orders', 'inventory') })).releaseReservation).toBe(false);
    expect(await stock(id)).toEqual({ onHand: 4, reserved: 0, available: 4 });
    expect(await statusOf(orderId)).toBe('RELEASED');
    await published();
    expect(eventsAbout(orderId, 'stock.reservation_released').map((e) => e.data)).toEqual([{ orderId, reason: 'cancelled' }]);

    // Checkout retrying the same order later reserves afresh.
    expect((await reserved(orderId, [{ productId: id, quantity: 1 }])).status).toBe('ACTIVE');
    expect(await stock(id)).toEqual({ onHand: 4, reserved: 1, available: 3 });
  });
});

describe('expiry', () => {
  it('gives back the stock of reservations whose time ran out, once', async () => {
    const id = fresh('lamp');
    await setStock(id, 3);
    const [soon, later] = [fresh('order'), fresh('order')];
    await reserved(soon, [{ productId: id, quantity: 2 }], alice, 1);
    await reserved(later, [{ productId: id, quantity: 1 }], alice, 3600);
    expect(await stock(id)).toEqual({ onHand: 3, reserved: 3, available: 0 });
    advanceClock(1_100);
    const swept = await Promise.all([subgraph.sweepReservations(), subgraph.sweepReservations()]);
    expect(swept.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(1);
    expect(await statusOf(soon)).toBe('EXPIRED');
    expect(await statusOf(later)).toBe('ACTIVE');
    expect(await stock(id)).toEqual({ onHand: 3, reserved: 1, available: 2 });
    expect(await subgraph.sweepReservations()).toBe(0);
    await published();
    expect(eventsAbout(soon, 'stock.reservation_released').map((e) => e.data)).toEqual([{ orderId: soon, reason: 'expired' }]);
  });
});

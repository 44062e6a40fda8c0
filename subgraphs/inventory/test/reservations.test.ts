import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { readConfig } from '@shop/config';
import { createEvent, createMemoryBus, type EventBus, type EventEnvelope } from '@shop/events';
import {
  callAsRouter,
  createTestDatabase,
  errorCodes,
  graphql,
  graphqlOk,
  serviceHeaders,
  serviceTrustEnv,
  testTokenIssuer,
  until,
  type GraphQLResponse,
} from '@shop/testing';
import { buildInventoryConfig } from '../src/config.js';
import { createInventorySubgraph, type InventorySubgraph } from '../src/server.js';


const RESERVE = /* GraphQL */ `
  mutation Reserve($orderId: ID!, $items: [ReservationItemInput!]!, $ttlSeconds: Int) {
    reserveStock(orderId: $orderId, items: $items, ttlSeconds: $ttlSeconds) {
      orderId status expiresAt createdAt items { productId warehouse quantity }
    }
  }
`;
const RELEASE = 'mutation($orderId: ID!) { releaseReservation(orderId: $orderId) }';
const SET_STOCK = 'mutation($p: ID!, $w: String, $q: Int!) { setStock(productId: $p, warehouse: $w, quantity: $q) { id } }';

interface Reservation {
  orderId: string;
  status: string;
  expiresAt: string;
  createdAt: string;
  items: Array<{ productId: string; warehouse: string; quantity: number }>;
}

let subgraph: InventorySubgraph;
let url: string;
let pool: pg.Pool;
let bus: EventBus;
const events: EventEnvelope[] = [];
let admin: string;
let alice: string;
let bob: string;
let counter = 0;

const fresh = (label: string) => `${label}-${++counter}`;
// The clock reservations are made and expired by: moved by the tests, never waited for.
let nowMs = Date.now();
const clock = () => new Date(nowMs);

beforeAll(async () => {
  const issuer = await testTokenIssuer();
  const databaseUrl = await createTestDatabase('inventory_reservations');
  const { config } = readConfig(
    { DATABASE_URL: databaseUrl, JWKS_URL: issuer.jwksUrl, ...(await serviceTrustEnv('inventory')), LOG_LEVEL: 'silent', RESERVATION_SWEEP_MS: '60000' },
    buildInventoryConfig,
  );
  bus = createMemoryBus();
  await bus.subscribe({ group: 'test.observer', types: '*', handler: async (event) => void events.push(event) });
  subgraph = await createInventorySubgraph(config, { bus, clock });
  ({ url } = await subgraph.listen(0, '127.0.0.1'));
  callAsRouter(url, 'inventory');
  pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  admin = await issuer.sign('admin-1', 'ADMIN');
  alice = await issuer.sign('alice', 'CUSTOMER');
  bob = await issuer.sign('bob', 'CUSTOMER');
});

afterAll(async () => {
  await pool?.end();
  await subgraph?.stop();
  await bus?.close();
});

async function setStock(productId: string, quantity: number, warehouse = 'main'): Promise<void> {
  await graphqlOk(url, SET_STOCK, { p: productId, w: warehouse, q: quantity }, { token: admin });
}

async function stock(productId: string): Promise<{ onHand: number; reserved: number; available: number }> {
  const data = await graphqlOk(
    url,
    'query($r: [_Any!]!) { _entities(representations: $r) { ... on Product { stock { onHand reserved available } } } }',
    { r: [{ __typename: 'Product', id: productId }] },
  );
  return data._entities[0].stock;
}

// Checkout (the orders service) is the one caller inventory lets reserve and release stock.
async function reserve(orderId: string, items: Array<{ productId: string; quantity: number }>, token = alice, ttlSeconds?: number) {
  return graphql<{ reserveStock: Reservation }>(url, RESERVE, { orderId, items, ttlSeconds }, { token, headers: await serviceHeaders('orders', 'inventory') });
}

async function reserved(orderId: string, items: Array<{ productId: string; quantity: number }>, token = alice, ttlSeconds?: number) {
  const result = await reserve(orderId, items, token, ttlSeconds);
  if (result.errors) throw new Error(JSON.stringify(result.errors));
  return result.data!.reserveStock;
}

async function statusOf(orderId: string): Promise<string | undefined> {
  const { rows } = await pool.query<{ status: string }>('SELECT status FROM stock_reservations WHERE order_id = $1', [orderId]);
  return rows[0]?.status;
}

/** Waits until the relay has published every event committed so far. */
async function published(): Promise<void> {
  await until(async () => {
    const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM event_outbox WHERE published_at IS NULL');
    return rows[0]!.n === 0;
  });
  await until(async () => {
    const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM event_outbox');
    return events.length >= rows[0]!.n;
  });
}

const eventsAbout = (key: string, type?: string) => events.filter((e) => e.key === key && (type === undefined || e.type === type));

function expectError(result: GraphQLResponse, code: string, field?: string) {
  expect(errorCodes(result)).toEqual([code]);
  if (field !== undefined) expect(result.errors?.[0]?.extensions?.field).toBe(field);
}

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
    nowMs += 1_100;
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

describe('order.status_changed consumer', () => {
  const statusChanged = (orderId: string, from: string, to: string) =>
    createEvent('orders', 'order.status_changed', orderId, { orderId, orderNumber: 'SO-1', userId: 'alice', from, to, at: new Date().toISOString() });

  async function deliver(event: EventEnvelope): Promise<void> {
    await bus.publish([event]);
    await until(async () => {
      const { rows } = await pool.query('SELECT 1 FROM event_inbox WHERE event_id = $1', [event.id]);
      return rows.length === 1;
    });
  }

  it('commits on PAID: on hand and reserved both drop; a redelivery changes nothing', async () => {
    const id = fresh('sofa');
    await setStock(id, 5);
    const orderId = fresh('order');
    await reserved(orderId, [{ productId: id, quantity: 2 }]);
    const paid = statusChanged(orderId, 'PENDING_PAYMENT', 'PAID');
    await deliver(paid);
    expect(await statusOf(orderId)).toBe('COMMITTED');
    expect(await stock(id)).toEqual({ onHand: 3, reserved: 0, available: 3 });
    await bus.publish([paid]);
    const marker = statusChanged(fresh('order'), 'PENDING_PAYMENT', 'PAID');
    await deliver(marker);
    expect(await stock(id)).toEqual({ onHand: 3, reserved: 0, available: 3 });
    await published();
    expect(eventsAbout(orderId, 'stock.reservation_committed').map((e) => e.data)).toEqual([{ orderId }]);
    // Committed units are sold: a later releaseReservation does not bring them back.
    expect((await graphqlOk(url, RELEASE, { orderId }, { token: alice, headers: await serviceHeaders('orders', 'inventory') })).releaseReservation).toBe(false);
  });

  it('releases on a cancellation before fulfilment: held units, or paid units back on the shelf', async () => {
    const id = fresh('table');
    await setStock(id, 6);
    const unpaid = fresh('order');
    await reserved(unpaid, [{ productId: id, quantity: 2 }]);
    await deliver(statusChanged(unpaid, 'PENDING_PAYMENT', 'CANCELLED'));
    expect(await statusOf(unpaid)).toBe('RELEASED');
    expect(await stock(id)).toEqual({ onHand: 6, reserved: 0, available: 6 });

    const paidThenCancelled = fresh('order');
    await reserved(paidThenCancelled, [{ productId: id, quantity: 3 }]);
    await deliver(statusChanged(paidThenCancelled, 'PENDING_PAYMENT', 'PAID'));
    expect(await stock(id)).toEqual({ onHand: 3, reserved: 0, available: 3 });
    await deliver(statusChanged(paidThenCancelled, 'PAID', 'CANCELLED'));
    expect(await statusOf(paidThenCancelled)).toBe('RELEASED');
    expect(await stock(id)).toEqual({ onHand: 6, reserved: 0, available: 6 });
    await published();
    expect(eventsAbout(paidThenCancelled, 'stock.reservation_released').map((e) => e.data)).toEqual([
      { orderId: paidThenCancelled, reason: 'cancelled' },
    ]);
  });

  it('leaves a cancellation once fulfilment started to the warehouse', async () => {
    const id = fresh('bench');
    await setStock(id, 2);
    const orderId = fresh('order');
    await reserved(orderId, [{ productId: id, quantity: 1 }]);
    await deliver(statusChanged(orderId, 'PENDING_PAYMENT', 'PAID'));
    await bus.publish([statusChanged(orderId, 'FULFILLING', 'CANCELLED')]);
    await deliver(statusChanged(fresh('order'), 'PENDING_PAYMENT', 'PAID'));
    expect(await statusOf(orderId)).toBe('COMMITTED');
    expect(await stock(id)).toEqual({ onHand: 1, reserved: 0, available: 1 });
  });

  it('sells from free stock when the payment arrives after the reservation expired, and only if there is some', async () => {
    const id = fresh('mirror');
    await setStock(id, 2);
    const [lucky, unlucky] = [fresh('order'), fresh('order')];
    await reserved(lucky, [{ productId: id, quantity: 1 }], alice, 1);
    await reserved(unlucky, [{ productId: id, quantity: 1 }], alice, 1);
    nowMs += 1_100;
    await subgraph.sweepReservations();
    expect(await stock(id)).toEqual({ onHand: 2, reserved: 0, available: 2 });
    await reserved(fresh('order'), [{ productId: id, quantity: 1 }], bob);

    await deliver(statusChanged(lucky, 'PENDING_PAYMENT', 'PAID'));
    expect(await statusOf(lucky)).toBe('COMMITTED');
    expect(await stock(id)).toEqual({ onHand: 1, reserved: 1, available: 0 });
    await deliver(statusChanged(unlucky, 'PENDING_PAYMENT', 'PAID'));
    expect(await statusOf(unlucky)).toBe('EXPIRED');
    expect(await stock(id)).toEqual({ onHand: 1, reserved: 1, available: 0 });
  });
});

describe('stock.changed from admin writes', () => {
  it('is written with every setStock, with totals over all warehouses', async () => {
    const id = fresh('shelf');
    await setStock(id, 4, 'main');
    await setStock(id, 3, 'east');
    await published();
    expect(eventsAbout(id, 'stock.changed').map((e) => e.data)).toEqual([
      { productId: id, available: 4, reserved: 0, onHand: 4, inStock: true, previousAvailable: 0 },
      { productId: id, available: 7, reserved: 0, onHand: 7, inStock: true, previousAvailable: 4 },
    ]);
  });
});

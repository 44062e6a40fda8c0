import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { readConfig } from '@shop/config';
import { createMemoryBus, type EventBus, type EventEnvelope } from '@shop/events';
import { callAsRouter, createTestDatabase, errorCodes, graphql, graphqlOk, serviceHeaders, serviceTrustEnv, testTokenIssuer, until } from '@shop/testing';
import { buildInventoryConfig, type InventoryConfig } from '../src/config.js';
import { createInventorySubgraph, type InventorySubgraph } from '../src/server.js';

const HOLD = `mutation($cartId: ID!, $items: [ReservationItemInput!]!, $seconds: Int!) {
  holdStock(cartId: $cartId, items: $items, seconds: $seconds) { cartId expiresAt items { productId warehouse quantity } }
}`;
const RESERVE = `mutation($orderId: ID!, $items: [ReservationItemInput!]!, $cartId: ID) {
  reserveStock(orderId: $orderId, items: $items, cartId: $cartId) { orderId status items { productId quantity } }
}`;
const SET_STOCK = 'mutation($p: ID!, $q: Int!) { setStock(productId: $p, quantity: $q) { id } }';

// The clock holds are made and expired by: moved by the tests, never waited for.
let nowMs = Date.parse('2030-01-01T10:00:00.000Z');
const clock = () => new Date(nowMs);

let config: InventoryConfig;
let subgraph: InventorySubgraph;
let url: string;
let pool: pg.Pool;
let bus: EventBus;
const events: EventEnvelope[] = [];
let admin: string;
let alice: string;
let counter = 0;
const fresh = (label: string) => `${label}-${++counter}`;

async function start(): Promise<InventorySubgraph> {
  const started = await createInventorySubgraph(config, { bus, clock });
  ({ url } = await started.listen(0, '127.0.0.1'));
  callAsRouter(url, 'inventory');
  return started;
}

beforeAll(async () => {
  const issuer = await testTokenIssuer();
  const databaseUrl = await createTestDatabase('inventory_holds');
  ({ config } = readConfig(
    { DATABASE_URL: databaseUrl, JWKS_URL: issuer.jwksUrl, ...(await serviceTrustEnv('inventory')), LOG_LEVEL: 'silent', RESERVATION_SWEEP_MS: '3600000' },
    buildInventoryConfig,
  ));
  bus = createMemoryBus();
  await bus.subscribe({ group: 'test.observer', types: '*', handler: async (event) => void events.push(event) });
  subgraph = await start();
  pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  admin = await issuer.sign('admin-1', 'ADMIN');
  alice = await issuer.sign('alice', 'CUSTOMER');
});

afterAll(async () => {
  await pool?.end();
  await subgraph?.stop();
  await bus?.close();
});

async function hold(cartId: string, items: Array<{ productId: string; quantity: number }>, seconds = 600, from = 'cart') {
  return graphql(url, HOLD, { cartId, items, seconds }, { headers: await serviceHeaders(from, 'inventory') });
}

async function stock(productId: string): Promise<{ onHand: number; reserved: number; available: number }> {
  const data = await graphqlOk(url, 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Product { stock { onHand reserved available } } } }', {
    r: [{ __typename: 'Product', id: productId }],
  });
  return data._entities[0].stock;
}

async function stocked(label: string, quantity: number): Promise<string> {
  const productId = fresh(label);
  await graphqlOk(url, SET_STOCK, { p: productId, q: quantity }, { token: admin });
  return productId;
}

const eventsOf = (type: string, key: string) => events.filter((e) => e.type === type && e.key === key);

describe('holdStock', () => {
  it('holds a cart’s units until the clock says so, reflected in Stock.reserved and in stock.changed', async () => {
    const lamp = await stocked('lamp', 5);
    const cartId = fresh('cart');
    const result = await hold(cartId, [{ productId: lamp, quantity: 2 }], 300);
    expect(result.errors).toBeUndefined();
    expect(result.data.holdStock).toEqual({ cartId, expiresAt: new Date(nowMs + 300_000).toISOString(), items: [{ productId: lamp, warehouse: 'main', quantity: 2 }] });
    expect(await stock(lamp)).toEqual({ onHand: 5, reserved: 2, available: 3 });
    await until(async () => events.some((e) => e.type === 'stock.changed' && e.key === lamp && (e.data as { reserved: number }).reserved === 2));
  });

  it('is the cart service’s alone: the router or orders get FORBIDDEN and nothing is held', async () => {
    const lamp = await stocked('lamp', 5);
    const asRouter = await graphql(url, HOLD, { cartId: fresh('cart'), items: [{ productId: lamp, quantity: 1 }], seconds: 300 }, { token: alice });
    expect(errorCodes(asRouter)).toEqual(['FORBIDDEN']);
    expect(errorCodes(await hold(fresh('cart'), [{ productId: lamp, quantity: 1 }], 300, 'orders'))).toEqual(['FORBIDDEN']);
    expect((await stock(lamp)).reserved).toBe(0);
  });

  it.each([29, 901])('refuses %i seconds (30 to 900): BAD_USER_INPUT on seconds', async (seconds) => {
    const lamp = await stocked('lamp', 5);
    const result = await hold(fresh('cart'), [{ productId: lamp, quantity: 1 }], seconds);
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'seconds' });
    expect((await stock(lamp)).reserved).toBe(0);
  });

  it('holding again replaces the earlier hold; a hold that falls short changes nothing (CONFLICT, OUT_OF_STOCK)', async () => {
    const lamp = await stocked('lamp', 4);
    const cartId = fresh('cart');
    await hold(cartId, [{ productId: lamp, quantity: 3 }]);
    // The cart's own 3 units count as free for its new hold: 4 fit, not 1.
    expect((await hold(cartId, [{ productId: lamp, quantity: 4 }])).errors).toBeUndefined();
    expect(await stock(lamp)).toEqual({ onHand: 4, reserved: 4, available: 0 });
    const short = await hold(cartId, [{ productId: lamp, quantity: 5 }]);
    expect(short.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'OUT_OF_STOCK', products: [{ productId: lamp, requested: 5, available: 4 }] });
    expect(await stock(lamp)).toEqual({ onHand: 4, reserved: 4, available: 0 });
  });

  it('warns once when a fifth of the time is left, then gives the stock back when it lapses', async () => {
    const lamp = await stocked('lamp', 3);
    const cartId = fresh('cart');
    const expiresAt = new Date(nowMs + 100_000).toISOString();
    await hold(cartId, [{ productId: lamp, quantity: 3 }], 100);

    nowMs += 79_000;
    await subgraph.sweepReservations();
    expect(eventsOf('stock.hold_expiring', cartId)).toEqual([]);

    nowMs += 1_000;
    await subgraph.sweepReservations();
    await until(async () => eventsOf('stock.hold_expiring', cartId).length === 1);
    expect(eventsOf('stock.hold_expiring', cartId)[0]!.data).toEqual({ cartId, expiresAt, items: [{ productId: lamp, quantity: 3 }] });
    expect((await stock(lamp)).reserved).toBe(3);

    nowMs += 20_000;
    expect(await subgraph.sweepReservations()).toBe(1);
    expect(await stock(lamp)).toEqual({ onHand: 3, reserved: 0, available: 3 });
    await until(async () => events.some((e) => e.type === 'stock.changed' && e.key === lamp && (e.data as { available: number }).available === 3));
    expect(eventsOf('stock.hold_expiring', cartId)).toHaveLength(1);
  });

  it('is taken over by the order at checkout: the held units are the order’s, counted once', async () => {
    const lamp = await stocked('lamp', 2);
    const cartId = fresh('cart');
    await hold(cartId, [{ productId: lamp, quantity: 2 }]);
    const orderId = fresh('order');
    const headers = await serviceHeaders('orders', 'inventory');
    // Every unit is held, by this very cart: only its checkout may have them.
    const other = await graphql(url, RESERVE, { orderId: fresh('order'), items: [{ productId: lamp, quantity: 1 }] }, { token: alice, headers });
    expect(other.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'OUT_OF_STOCK' });
    const placed = await graphql(url, RESERVE, { orderId, items: [{ productId: lamp, quantity: 2 }], cartId }, { token: alice, headers });
    expect(placed.errors).toBeUndefined();
    expect(placed.data.reserveStock).toMatchObject({ orderId, status: 'ACTIVE', items: [{ productId: lamp, quantity: 2 }] });
    expect(await stock(lamp)).toEqual({ onHand: 2, reserved: 2, available: 0 });
    const { rows } = await pool.query('SELECT status, order_id FROM stock_holds WHERE cart_id = $1', [cartId]);
    expect(rows).toEqual([{ status: 'CONVERTED', order_id: orderId }]);
    // The converted hold never lapses: past the hold's 600 s, within the order's 900 s to pay, its units stay the order's.
    nowMs += 700_000;
    await subgraph.sweepReservations();
    expect(await stock(lamp)).toEqual({ onHand: 2, reserved: 2, available: 0 });
  });

  it('survives a restart and lapses afterwards, released once though two replicas sweep', async () => {
    const lamp = await stocked('lamp', 6);
    const cartId = fresh('cart');
    await hold(cartId, [{ productId: lamp, quantity: 4 }], 60);
    await subgraph.stop();
    nowMs += 61_000;
    subgraph = await start();
    const replica = await createInventorySubgraph(config, { bus, clock });
    try {
      const expired = await Promise.all([subgraph.sweepReservations(), replica.sweepReservations()]);
      expect(expired.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(1);
    } finally {
      await replica.stop();
    }
    expect(await stock(lamp)).toEqual({ onHand: 6, reserved: 0, available: 6 });
    const { rows } = await pool.query("SELECT count(*)::int AS releases FROM stock_events WHERE cart_id = $1 AND kind = 'release'", [cartId]);
    expect(rows).toEqual([{ releases: 1 }]);
    // It lapsed while nobody swept: no warning after the fact.
    expect(eventsOf('stock.hold_expiring', cartId)).toEqual([]);
  });
});

const MOVE = `mutation($fromCartId: ID!, $cartId: ID!, $items: [ReservationItemInput!]!) {
  moveHold(fromCartId: $fromCartId, cartId: $cartId, items: $items) { cartId expiresAt items { productId quantity } }
}`;

async function move(fromCartId: string, cartId: string, items: Array<{ productId: string; quantity: number }>, from = 'cart') {
  return graphql(url, MOVE, { fromCartId, cartId, items }, { headers: await serviceHeaders(from, 'inventory') });
}

describe('moveHold (a guest cart merged at sign-in)', () => {
  it('gives the guest’s hold back and holds the merged lines for the cart, for the guest hold’s length from now', async () => {
    const [a, b] = [await stocked('move-a', 5), await stocked('move-b', 5)];
    const [guest, cart] = [fresh('guest'), fresh('cart')];
    expect((await hold(guest, [{ productId: a, quantity: 2 }], 300)).errors).toBeUndefined();
    expect((await hold(cart, [{ productId: b, quantity: 1 }], 600)).errors).toBeUndefined();
    nowMs += 100_000;
    const moved = await move(guest, cart, [{ productId: a, quantity: 3 }, { productId: b, quantity: 1 }]);
    expect(moved.data?.moveHold).toEqual({
      cartId: cart,
      expiresAt: new Date(nowMs + 300_000).toISOString(),
      items: [{ productId: a, quantity: 3 }, { productId: b, quantity: 1 }],
    });
    expect(await stock(a)).toMatchObject({ reserved: 3, available: 2 });
    expect(await stock(b)).toMatchObject({ reserved: 1, available: 4 });
    // Moved once: moving again finds no guest hold and changes nothing.
    expect((await move(guest, cart, [{ productId: a, quantity: 3 }])).data?.moveHold).toBeNull();
    expect(await stock(a)).toMatchObject({ reserved: 3 });
  });

  it('keeps the units both holds had when stock is short for every merged line', async () => {
    const [a, scarce] = [await stocked('move-keep', 4), await stocked('move-scarce', 1)];
    const [guest, cart] = [fresh('guest'), fresh('cart')];
    await hold(guest, [{ productId: a, quantity: 2 }]);
    await hold(cart, [{ productId: a, quantity: 1 }]);
    const moved = await move(guest, cart, [{ productId: a, quantity: 4 }, { productId: scarce, quantity: 3 }]);
    expect(moved.data?.moveHold.items).toEqual([{ productId: a, quantity: 3 }]);
    expect(await stock(a)).toMatchObject({ reserved: 3, available: 1 });
    expect(await stock(scarce)).toMatchObject({ reserved: 0, available: 1 });
  });

  it('is the cart service’s alone and refuses bad ids with nothing changed', async () => {
    const a = await stocked('move-refused', 3);
    const guest = fresh('guest');
    await hold(guest, [{ productId: a, quantity: 1 }]);
    expect(errorCodes(await move(guest, fresh('cart'), [{ productId: a, quantity: 1 }], 'orders'))).toEqual(['FORBIDDEN']);
    for (const [fromCartId, cartId, field] of [[guest, guest, 'fromCartId'], ['bad id!', 'c', 'fromCartId'], [guest, 'x'.repeat(65), 'cartId']]) {
      const refused = await move(fromCartId!, cartId!, [{ productId: a, quantity: 1 }]);
      expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
    expect(await stock(a)).toMatchObject({ reserved: 1, available: 2 });
  });
});

import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import { createMemoryBus, type EventBus, type EventEnvelope, type Subscription } from '@shop/events';
import { createPostgres, type Postgres } from '@shop/postgres';
import { errorCodes, graphql, graphqlOk, testTokenIssuer, until } from '@shop/testing';
import type { ShippingDatabase } from '../src/db/schema.js';
import { ORDER_QUERY } from '../src/orderReader.js';
import type { ShippingSubgraph } from '../src/server.js';
import { startRouterStandIn, startShipping, token, type RouterReply, type RouterStandIn } from './harness.js';

const CREATE = /* GraphQL */ `
  mutation Create($orderId: ID!, $carrier: String!, $trackingNumber: String!) {
    createShipment(orderId: $orderId, carrier: $carrier, trackingNumber: $trackingNumber) {
      id orderId carrier trackingNumber status trackingUrl createdAt deliveredAt events { status at }
    }
  }
`;

const DELIVER = /* GraphQL */ `
  mutation Deliver($shipmentId: ID!) {
    markDelivered(shipmentId: $shipmentId) { id status deliveredAt events { status at } }
  }
`;

const ORDER_SHIPMENTS = /* GraphQL */ `
  query OrderShipments($r: [_Any!]!) {
    _entities(representations: $r) { ... on Order { id shipments { id carrier trackingNumber status } } }
  }
`;

const SHIPMENTS = /* GraphQL */ `
  query Shipments($r: [_Any!]!) {
    _entities(representations: $r) { ... on Shipment { id orderId status } }
  }
`;

const orders = (ids: string[]) => ids.map((id) => ({ __typename: 'Order', id }));
const shipmentRefs = (ids: string[]) => ids.map((id) => ({ __typename: 'Shipment', id }));

interface StandInOrder {
  userId: string;
  status: string;
}

/**
 * Answers the order query the way the router (and orders behind it) would: only the exact
 * query, owner or ADMIN from the forwarded token, NOT_FOUND for anybody else or an unknown id.
 */
function answerOrders(orderBook: Map<string, StandInOrder>) {
  return async (request: { headers: { authorization?: string }; body: { query?: string; variables?: Record<string, unknown> } }): Promise<RouterReply> => {
    if (request.body.query !== ORDER_QUERY) return { status: 400, body: { errors: [{ message: `unexpected query: ${request.body.query}` }] } };
    const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    const caller = bearer ? await (await testTokenIssuer()).verify(bearer).catch(() => null) : null;
    if (!caller) return { body: { data: { order: null }, errors: [{ message: 'You must be signed in', extensions: { code: 'UNAUTHENTICATED' } }] } };
    const id = String(request.body.variables?.id);
    const order = orderBook.get(id);
    if (!order || (caller.role !== 'ADMIN' && caller.userId !== order.userId)) {
      return { body: { data: { order: null }, errors: [{ message: `Order ${JSON.stringify(id)} not found`, path: ['order'], extensions: { code: 'NOT_FOUND' } }] } };
    }
    return { body: { data: { order: { id, status: order.status, user: { id: order.userId } } } } };
  };
}

describe('shipments over HTTP (real PostgreSQL, in-process bus, stand-in router)', () => {
  const orderBook = new Map<string, StandInOrder>();
  const published: EventEnvelope[] = [];
  let bus: EventBus;
  let subscription: Subscription;
  let router: RouterStandIn;
  let shipping: { url: string; databaseUrl: string; subgraph: ShippingSubgraph };
  let store: Postgres<ShippingDatabase>;
  let admin: string;
  let alice: string;

  beforeAll(async () => {
    bus = createMemoryBus();
    // Stands in for orders' saga consumer: records what shipping publishes.
    subscription = await bus.subscribe({
      group: 'test.orders',
      types: ['shipment.created', 'shipment.delivered'],
      handler: async (event) => {
        published.push(event);
      },
    });
    router = await startRouterStandIn(answerOrders(orderBook));
    shipping = await startShipping({ env: { ROUTER_URL: router.url }, bus });
    store = createPostgres<ShippingDatabase>({ url: shipping.databaseUrl, maxConnections: 1 });
    [admin, alice] = await Promise.all([token('admin-1', 'ADMIN'), token('alice')]);
  });

  afterAll(async () => {
    await shipping?.subgraph.stop();
    await subscription?.stop();
    await bus?.close();
    await store?.destroy();
    await router?.stop();
  });

  beforeEach(() => {
    router.requests.length = 0;
  });

  /**
   * The events published since `before`, once the relay has sent every row of the outbox: a
   * mutation writes its events there in its own transaction, so nothing it caused can come later.
   */
  async function eventsAfter(before: number, count: number): Promise<EventEnvelope[]> {
    const unsent = async () => Number((await sql<{ n: string }>`SELECT count(*) AS n FROM event_outbox WHERE published_at IS NULL`.execute(store.db)).rows[0]!.n);
    await until(async () => published.length >= before + count && (await unsent()) === 0, `${count} event(s) relayed`);
    return published.slice(before);
  }

  const shipmentRows = (orderId: string) => store.db.selectFrom('shipments').selectAll().where('order_id', '=', orderId).execute();
  const outboxCount = async () => Number((await sql<{ n: string }>`SELECT count(*) AS n FROM event_outbox`.execute(store.db)).rows[0]!.n);

  it('lets an ADMIN ship a PAID order: SHIPPED, one shipment.created on the bus, order read as the admin', async () => {
    orderBook.set('order-paid', { userId: 'alice', status: 'PAID' });
    const before = published.length;
    const { createShipment } = await graphqlOk(
      shipping.url,
      CREATE,
      { orderId: 'order-paid', carrier: 'DHL', trackingNumber: '00340434161094042557' },
      { token: admin },
    );
    expect(createShipment).toEqual({
      id: expect.any(String),
      orderId: 'order-paid',
      carrier: 'DHL',
      trackingNumber: '00340434161094042557',
      status: 'SHIPPED',
      trackingUrl: 'https://www.dhl.com/de-en/home/tracking/tracking-parcel.html?submit=1&tracking-id=00340434161094042557',
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      deliveredAt: null,
      events: [{ status: 'SHIPPED', at: createShipment.createdAt }],
    });
    expect(router.requests).toHaveLength(1);
    expect(router.requests[0]!.headers.authorization).toBe(`Bearer ${admin}`);
    expect(router.requests[0]!.body.variables).toEqual({ id: 'order-paid' });

    const events = await eventsAfter(before, 1);
    expect(events).toEqual([
      {
        id: expect.any(String),
        type: 'shipment.created',
        source: 'shipping',
        occurredAt: expect.any(String),
        key: 'order-paid',
        data: { shipmentId: createShipment.id, orderId: 'order-paid', carrier: 'DHL', trackingNumber: '00340434161094042557' },
      },
    ]);
  });

  it('lists an order\'s shipments through _entities in one SQL statement, in key order, empty for an order without', async () => {
    orderBook.set('order-fulfilling', { userId: 'bob', status: 'FULFILLING' });
    const { createShipment: ups } = await graphqlOk(
      shipping.url,
      CREATE,
      { orderId: 'order-fulfilling', carrier: 'ups', trackingNumber: '1Z999AA10123456784' },
      { token: admin },
    );
    expect(ups).toMatchObject({ carrier: 'UPS', status: 'SHIPPED', trackingUrl: 'https://www.ups.com/track?tracknum=1Z999AA10123456784' });
    const [paid] = await shipmentRows('order-paid');

    shipping.subgraph.sqlStats.reset();
    const { _entities } = await graphqlOk(
      shipping.url,
      ORDER_SHIPMENTS,
      { r: orders(['order-fulfilling', 'order-without', 'order-paid']) },
      { token: admin },
    );
    expect(shipping.subgraph.sqlStats.queries).toBe(1);
    expect(_entities).toEqual([
      { id: 'order-fulfilling', shipments: [{ id: ups.id, carrier: 'UPS', trackingNumber: '1Z999AA10123456784', status: 'SHIPPED' }] },
      { id: 'order-without', shipments: [] },
      { id: 'order-paid', shipments: [{ id: paid!.id, carrier: 'DHL', trackingNumber: '00340434161094042557', status: 'SHIPPED' }] },
    ]);
  });

  it("shows another customer neither an order's shipments nor a shipment by id, though the request carries the router's token", async () => {
    orderBook.set('order-bob', { userId: 'bob', status: 'PAID' });
    const { createShipment } = await graphqlOk(shipping.url, CREATE, { orderId: 'order-bob', carrier: 'DHL', trackingNumber: 'BOB12345' }, { token: admin });
    const mallory = await token('mallory');
    const byOrder = await graphqlOk(shipping.url, ORDER_SHIPMENTS, { r: orders(['order-bob']) }, { token: mallory });
    expect(byOrder._entities).toEqual([{ id: 'order-bob', shipments: [] }]);
    const byId = await graphqlOk(shipping.url, SHIPMENTS, { r: shipmentRefs([createShipment.id]) }, { token: mallory });
    expect(byId._entities).toEqual([null]);
    // Its customer still sees it.
    const own = await graphqlOk(shipping.url, SHIPMENTS, { r: shipmentRefs([createShipment.id]) }, { token: await token('bob') });
    expect(own._entities).toEqual([{ id: createShipment.id, orderId: 'order-bob', status: 'SHIPPED' }]);
  });

  it('resolves Shipment references in one SQL statement, in key order, null for an unknown id', async () => {
    const [paid] = await shipmentRows('order-paid');
    const [fulfilling] = await shipmentRows('order-fulfilling');
    shipping.subgraph.sqlStats.reset();
    const { _entities } = await graphqlOk(shipping.url, SHIPMENTS, { r: shipmentRefs([fulfilling!.id, 'no-such-shipment', paid!.id]) }, { token: admin });
    expect(shipping.subgraph.sqlStats.queries).toBe(1);
    expect(_entities).toEqual([
      { id: fulfilling!.id, orderId: 'order-fulfilling', status: 'SHIPPED' },
      null,
      { id: paid!.id, orderId: 'order-paid', status: 'SHIPPED' },
    ]);
  });

  it('marks a SHIPPED shipment DELIVERED with one shipment.delivered; a second time is CONFLICT and publishes nothing', async () => {
    const [row] = await shipmentRows('order-paid');
    const before = published.length;
    const { markDelivered } = await graphqlOk(shipping.url, DELIVER, { shipmentId: row!.id }, { token: admin });
    expect(markDelivered).toEqual({
      id: row!.id,
      status: 'DELIVERED',
      deliveredAt: expect.any(String),
      events: [
        { status: 'SHIPPED', at: row!.created_at.toISOString() },
        { status: 'DELIVERED', at: markDelivered.deliveredAt },
      ],
    });
    const again = await graphql(shipping.url, DELIVER, { shipmentId: row!.id }, { token: admin });
    expect(errorCodes(again)).toEqual(['CONFLICT']);

    const events = await eventsAfter(before, 1);
    expect(events).toEqual([
      {
        id: expect.any(String),
        type: 'shipment.delivered',
        source: 'shipping',
        occurredAt: expect.any(String),
        key: 'order-paid',
        data: { shipmentId: row!.id, orderId: 'order-paid' },
      },
    ]);
    expect(router.requests).toHaveLength(0);
  });

  it('refuses customers (FORBIDDEN) and anonymous callers (UNAUTHENTICATED) without asking the router', async () => {
    orderBook.set('order-alice', { userId: 'alice', status: 'PAID' });
    const args = { orderId: 'order-alice', carrier: 'DHL', trackingNumber: 'ABCD1234' };
    expect(errorCodes(await graphql(shipping.url, CREATE, args, { token: alice }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await graphql(shipping.url, CREATE, args))).toEqual(['UNAUTHENTICATED']);
    const [fulfilling] = await shipmentRows('order-fulfilling');
    expect(errorCodes(await graphql(shipping.url, DELIVER, { shipmentId: fulfilling!.id }, { token: alice }))).toEqual(['FORBIDDEN']);
    expect(router.requests).toHaveLength(0);
    expect(await shipmentRows('order-alice')).toEqual([]);
    expect((await shipmentRows('order-fulfilling'))[0]!.status).toBe('SHIPPED');
  });

  it('ships only PAID or FULFILLING orders (CONFLICT) that exist (NOT_FOUND)', async () => {
    for (const status of ['PENDING_PAYMENT', 'SHIPPED', 'DELIVERED', 'CANCELLED', 'RETURN_REQUESTED', 'REFUNDED']) {
      orderBook.set(`order-${status}`, { userId: 'alice', status });
      const result = await graphql(shipping.url, CREATE, { orderId: `order-${status}`, carrier: 'DPD', trackingNumber: '01234567890123' }, { token: admin });
      expect([status, errorCodes(result), result.errors?.[0]?.extensions?.status]).toEqual([status, ['CONFLICT'], status]);
      expect(await shipmentRows(`order-${status}`)).toEqual([]);
    }
    const unknown = await graphql(shipping.url, CREATE, { orderId: 'order-nobody-placed', carrier: 'DPD', trackingNumber: '01234567890123' }, { token: admin });
    expect(errorCodes(unknown)).toEqual(['NOT_FOUND']);
  });

  it('names the field of a bad carrier, tracking number or id (BAD_USER_INPUT) before asking the router', async () => {
    orderBook.set('order-input', { userId: 'alice', status: 'PAID' });
    const attempt = async (carrier: string, trackingNumber: string, orderId = 'order-input') => {
      const result = await graphql(shipping.url, CREATE, { orderId, carrier, trackingNumber }, { token: admin });
      return [errorCodes(result), result.errors?.[0]?.extensions?.field];
    };
    for (const carrier of ['', 'POSTMAN', 'DHL Express', 'D-H-L']) {
      expect([carrier, ...(await attempt(carrier, 'ABCD1234'))]).toEqual([carrier, ['BAD_USER_INPUT'], 'carrier']);
    }
    for (const trackingNumber of ['', 'AB1', 'A'.repeat(41), 'AB 1234', 'AB_1234', 'ÄBC1234', 'ABCD1234\n']) {
      expect([trackingNumber, ...(await attempt('GLS', trackingNumber))]).toEqual([trackingNumber, ['BAD_USER_INPUT'], 'trackingNumber']);
    }
    expect(await attempt('GLS', 'ABCD1234', '')).toEqual([['BAD_USER_INPUT'], 'orderId']);
    expect(await attempt('GLS', 'ABCD1234', 'x'.repeat(201))).toEqual([['BAD_USER_INPUT'], 'orderId']);
    const longId = await graphql(shipping.url, DELIVER, { shipmentId: 'x'.repeat(201) }, { token: admin });
    expect([errorCodes(longId), longId.errors?.[0]?.extensions?.field]).toEqual([['BAD_USER_INPUT'], 'shipmentId']);
    expect(router.requests).toHaveLength(0);
    expect(await shipmentRows('order-input')).toEqual([]);

    // The edges of the rules are accepted: 4 and 40 characters, dashes, a PICKUP without a page.
    orderBook.set('order-pickup', { userId: 'alice', status: 'PAID' });
    const { createShipment } = await graphqlOk(shipping.url, CREATE, { orderId: 'order-pickup', carrier: 'Pickup', trackingNumber: 'a-1B' }, { token: admin });
    expect(createShipment).toMatchObject({ carrier: 'PICKUP', trackingNumber: 'a-1B', trackingUrl: null });
    orderBook.set('order-long', { userId: 'alice', status: 'PAID' });
    await graphqlOk(shipping.url, CREATE, { orderId: 'order-long', carrier: 'HERMES', trackingNumber: 'H'.repeat(40) }, { token: admin });
  });

  it('keeps one active shipment per order: a second is CONFLICT, also when two admins race', async () => {
    // orders has not moved order-fulfilling on yet (the stand-in still says FULFILLING): the
    // shipping store is what refuses.
    const before = await outboxCount();
    const second = await graphql(shipping.url, CREATE, { orderId: 'order-fulfilling', carrier: 'FEDEX', trackingNumber: '449044304137821' }, { token: admin });
    expect(errorCodes(second)).toEqual(['CONFLICT']);
    expect(await shipmentRows('order-fulfilling')).toHaveLength(1);

    orderBook.set('order-race', { userId: 'alice', status: 'PAID' });
    const results = await Promise.all(
      ['RACE0001', 'RACE0002', 'RACE0003', 'RACE0004'].map((trackingNumber) =>
        graphql(shipping.url, CREATE, { orderId: 'order-race', carrier: 'DHL', trackingNumber }, { token: admin }),
      ),
    );
    expect(results.map((r) => errorCodes(r).join()).sort()).toEqual(['', 'CONFLICT', 'CONFLICT', 'CONFLICT']);
    expect(await shipmentRows('order-race')).toHaveLength(1);
    expect(await outboxCount()).toBe(before + 1);
  });

  it('writes nothing when the event cannot be written: shipment and event commit together', async () => {
    orderBook.set('order-atomic', { userId: 'alice', status: 'PAID' });
    const [fulfilling] = await shipmentRows('order-fulfilling');
    const before = await outboxCount();
    await sql`CREATE FUNCTION refuse_outbox() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'outbox down'; END $$`.execute(store.db);
    await sql`CREATE TRIGGER refuse_outbox BEFORE INSERT ON event_outbox FOR EACH ROW EXECUTE FUNCTION refuse_outbox()`.execute(store.db);
    try {
      const created = await graphql(shipping.url, CREATE, { orderId: 'order-atomic', carrier: 'DHL', trackingNumber: 'ATOMIC01' }, { token: admin });
      expect(errorCodes(created)).toEqual(['INTERNAL_SERVER_ERROR']);
      expect(JSON.stringify(created.errors)).not.toContain('outbox down');
      const delivered = await graphql(shipping.url, DELIVER, { shipmentId: fulfilling!.id }, { token: admin });
      expect(errorCodes(delivered)).toEqual(['INTERNAL_SERVER_ERROR']);
    } finally {
      await sql`DROP TRIGGER refuse_outbox ON event_outbox`.execute(store.db);
      await sql`DROP FUNCTION refuse_outbox()`.execute(store.db);
    }
    expect(await shipmentRows('order-atomic')).toEqual([]);
    expect((await shipmentRows('order-fulfilling'))[0]).toMatchObject({ status: 'SHIPPED', delivered_at: null });
    expect(await outboxCount()).toBe(before);

    // Once the outbox takes events again, the same requests go through.
    await graphqlOk(shipping.url, CREATE, { orderId: 'order-atomic', carrier: 'DHL', trackingNumber: 'ATOMIC01' }, { token: admin });
    await graphqlOk(shipping.url, DELIVER, { shipmentId: fulfilling!.id }, { token: admin });
  });

  it('says NOT_FOUND for an unknown shipment and shows anonymous callers no shipments', async () => {
    expect(errorCodes(await graphql(shipping.url, DELIVER, { shipmentId: 'no-such-shipment' }, { token: admin }))).toEqual(['NOT_FOUND']);
    const { _entities } = await graphqlOk(shipping.url, ORDER_SHIPMENTS, { r: orders(['order-fulfilling']) });
    expect(_entities).toEqual([{ id: 'order-fulfilling', shipments: [] }]);
  });

  it('reports an unreachable router as SUBGRAPH_UNAVAILABLE without its address, and writes nothing', async () => {
    const lonely = await startShipping({ env: { ROUTER_URL: 'http://127.0.0.1:9/graphql' } });
    try {
      const result = await graphql(lonely.url, CREATE, { orderId: 'order-x', carrier: 'DHL', trackingNumber: 'ABCD1234' }, { token: admin });
      expect(errorCodes(result)).toEqual(['SUBGRAPH_UNAVAILABLE']);
      expect(result.errors?.[0]?.extensions?.serviceName).toBe('router');
      expect(JSON.stringify(result.errors)).not.toContain('127.0.0.1');
    } finally {
      await lonely.subgraph.stop();
    }
  });
});

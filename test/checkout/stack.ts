import { readConfig } from '@shop/config';
import { createEvent, createMemoryBus, type EventBus, type EventEnvelope } from '@shop/events';
import { createMemoryStore } from '@shop/kv';
import { sql } from 'kysely';
import { createPostgres } from '@shop/postgres';
import { callAsRouter, createTestDatabase, graphqlOk, serviceTrustEnv, testTokenIssuer, until } from '@shop/testing';
// Checkout is a conversation between two services: these tests run the real inventory
// subgraph next to orders, each on its own database, talking over HTTP and one event bus.
import { buildInventoryConfig } from '../../subgraphs/inventory/src/config.js';
import { createInventorySubgraph, type InventorySubgraph } from '../../subgraphs/inventory/src/server.js';
import {
  startOrders,
  startProductsStandIn,
  startRouterStandIn,
  token,
  type Harness,
  type ProductsStandIn,
  type RouterStandIn,
} from '../../subgraphs/orders/test/harness.js';

export interface Stock {
  onHand: number;
  reserved: number;
  available: number;
}

export interface ReservationRow {
  status: string;
  items: Array<{ productId: string; warehouse: string; quantity: number }>;
}

export interface CheckoutStack {
  bus: EventBus;
  /** Every event published on the bus, in order (a consumer group of its own). */
  events: EventEnvelope[];
  /** Every message the subgraphs published for their subscriptions, by channel. */
  messages: Map<string, unknown[]>;
  products: ProductsStandIn;
  router: RouterStandIn;
  orders: Harness;
  inventory: { url: string; subgraph: InventorySubgraph };
  adminToken: string;
  setStock(productId: string, quantity: number, warehouse?: string): Promise<void>;
  stock(productId: string): Promise<Stock>;
  /** The order's reservation at inventory (read behind its API: it is not public). */
  reservation(orderId: string): Promise<ReservationRow | null>;
  /** Publishes an event as another service would. */
  publish(source: string, type: string, data: { orderId: string } & Record<string, unknown>): Promise<EventEnvelope>;
  /**
   * Publishes a marker event each service's consumer records in its inbox and waits until both
   * have: each consumer group handles events in order, so everything published before is done.
   */
  settle(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Orders and inventory for real (HTTP, PostgreSQL, their relays and consumers on a shared
 * in-process bus), with stand-ins over HTTP for the router and the products subgraph.
 */
export async function startCheckoutStack(
  options: { prices?: Record<string, string>; reservationTtlSeconds?: number; reservationSweepMs?: number; clock?: () => Date } = {},
): Promise<CheckoutStack> {
  const bus = createMemoryBus();
  const events: EventEnvelope[] = [];
  await bus.subscribe({ group: 'test.observer', types: '*', handler: async (event) => void events.push(event) });

  // One key-value store for both, as Redis would be: what the subscriptions hear.
  const kv = createMemoryStore();
  const messages = new Map<string, unknown[]>();
  // Each event log wakes its readers with the new entry's id; the entry holds the event.
  for (const stream of ['orders.status-changed', 'inventory.stock-changed']) {
    messages.set(stream, []);
    await kv.subscribe(`${stream}:appended`, (id) => {
      void kv.readAfter(stream, '0-0', 10_000).then(({ entries }) => {
        const entry = entries.find((e) => e.id === id);
        if (entry) messages.get(stream)!.push(JSON.parse(entry.message));
      });
    });
  }

  const products = await startProductsStandIn(options.prices ?? {});
  const router = await startRouterStandIn();
  const inventoryDb = await createTestDatabase('orders_stack_inventory');
  const { config: inventoryConfig } = readConfig(
    {
      DATABASE_URL: inventoryDb,
      JWKS_URL: (await testTokenIssuer()).jwksUrl,
      ...(await serviceTrustEnv('inventory')),
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
      RESERVATION_TTL_SECONDS: String(options.reservationTtlSeconds ?? 900),
      RESERVATION_SWEEP_MS: String(options.reservationSweepMs ?? 60_000),
    },
    buildInventoryConfig,
  );
  const inventorySubgraph = await createInventorySubgraph(inventoryConfig, { bus, kv, ...(options.clock ? { clock: options.clock } : {}) });
  const inventoryUrl = (await inventorySubgraph.listen(0, '127.0.0.1')).url;
  callAsRouter(inventoryUrl, 'inventory');
  const orders = await startOrders({ productsUrl: products.url, routerUrl: router.url, inventoryUrl, bus, kv });
  const inventoryStore = createPostgres({ url: inventoryDb, maxConnections: 2 });
  const adminToken = await token('admin-1', 'ADMIN');

  return {
    bus,
    events,
    messages,
    products,
    router,
    orders,
    inventory: { url: inventoryUrl, subgraph: inventorySubgraph },
    adminToken,
    async setStock(productId, quantity, warehouse) {
      await graphqlOk(
        inventoryUrl,
        'mutation($p: ID!, $w: String, $q: Int!) { setStock(productId: $p, warehouse: $w, quantity: $q) { id } }',
        { p: productId, w: warehouse ?? null, q: quantity },
        { token: adminToken },
      );
    },
    async stock(productId) {
      const data = await graphqlOk<{ _entities: Array<{ stock: Stock }> }>(
        inventoryUrl,
        'query($r: [_Any!]!) { _entities(representations: $r) { ... on Product { stock { onHand reserved available } } } }',
        { r: [{ __typename: 'Product', id: productId }] },
      );
      return data._entities[0]!.stock;
    },
    async reservation(orderId) {
      // Through kysely, not the raw pool: `destroy()` only ends a pool kysely has used.
      const { rows } = await sql<{ status: string }>`SELECT status FROM stock_reservations WHERE order_id = ${orderId}`.execute(
        inventoryStore.db,
      );
      if (!rows[0]) return null;
      const items = await sql<{ productId: string; warehouse: string; quantity: number }>`
        SELECT product_id AS "productId", warehouse, quantity FROM stock_reservation_items
         WHERE order_id = ${orderId} ORDER BY product_id, warehouse`.execute(inventoryStore.db);
      return { status: rows[0].status, items: items.rows };
    },
    async publish(source, type, data) {
      const event = createEvent(source, type, data.orderId, data);
      await bus.publish([event]);
      return event;
    },
    async settle() {
      // Both are about an order that does not exist: recorded as handled, changing nothing.
      const forOrders = createEvent('payments', 'payment.failed', 'marker', { orderId: 'marker', reason: 'marker' });
      const forInventory = createEvent('orders', 'order.status_changed', 'marker', { orderId: 'marker', from: 'PENDING_PAYMENT', to: 'PAID' });
      await bus.publish([forOrders, forInventory]);
      await until(async () => {
        const inOrders = await sql`SELECT 1 FROM event_inbox WHERE event_id = ${forOrders.id}`.execute(orders.store.db);
        const inInventory = await sql`SELECT 1 FROM event_inbox WHERE event_id = ${forInventory.id}`.execute(inventoryStore.db);
        return inOrders.rows.length === 1 && inInventory.rows.length === 1;
      });
    },
    async stop() {
      await orders.stop();
      await inventorySubgraph.stop();
      await inventoryStore.destroy();
      await bus.close();
      await kv.close();
      await router.stop();
      await products.stop();
    },
  };
}

export { until };

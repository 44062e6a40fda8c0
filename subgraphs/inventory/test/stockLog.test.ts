import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { createClient, type Client } from 'graphql-ws';
import pg from 'pg';
import WebSocket from 'ws';
import { readConfig } from '@shop/config';
import { createMemoryBus, type EventBus } from '@shop/events';
import { createRedisStore, type KeyValueStore } from '@shop/kv';
import { callAsRouter, createTestDatabase, graphqlOk, routerHeadersFor, serviceTrustEnv, testTokenIssuer, until } from '@shop/testing';
import { buildInventoryConfig, type InventoryConfig } from '../src/config.js';
import { createInventorySubgraph, type InventorySubgraph } from '../src/server.js';

// The stock event log is fed from the transactional outbox: a change that committed while the
// bus was unreachable, in a process that then went away before publishing it, still reaches a
// subscriber resuming `after` its last event, once the next process's relay publishes it.
const SET_STOCK = 'mutation($p: ID!, $q: Int!) { setStock(productId: $p, quantity: $q) { id } }';
const STOCK = 'subscription($p: [ID!], $after: String) { stockChanged(productIds: $p, after: $after) { id stock { available } } }';

// A deployment's own window instead of the default 24 hours.
const RETENTION_MS = 60 * 60 * 1000;
let config: InventoryConfig;
let pool: pg.Pool;
let kv: KeyValueStore;
let bus: EventBus;
let busDown = false;
let subgraph: InventorySubgraph;
let url: string;
let admin: string;
const clients: Client[] = [];

/** The shared bus, refusing every publish while `busDown`: the relay then keeps events in the outbox. */
function unreliable(inner: EventBus): EventBus {
  return {
    kind: inner.kind,
    metrics: inner.metrics,
    publish: (events) => (busDown ? Promise.reject(new Error('bus unreachable')) : inner.publish(events)),
    subscribe: (options) => inner.subscribe(options),
    deadLetters: (options) => inner.deadLetters(options),
    replayDeadLetter: (id) => inner.replayDeadLetter(id),
    close: () => inner.close(),
  };
}

async function start(): Promise<void> {
  subgraph = await createInventorySubgraph(config, { bus: unreliable(bus), kv, eventRetentionMs: RETENTION_MS });
  ({ url } = await subgraph.listen(0, '127.0.0.1'));
  callAsRouter(url, 'inventory');
}

async function subscribe(variables: Record<string, unknown>) {
  const headers = await routerHeadersFor(url);
  class RouterSocket extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, { headers });
    }
  }
  const client = createClient({ url: url.replace(/^http/, 'ws'), webSocketImpl: RouterSocket, retryAttempts: 0 });
  clients.push(client);
  const received: Array<{ eventId: string; available: number }> = [];
  const state = { error: null as unknown };
  const dispose = client.subscribe(
    { query: STOCK, variables },
    {
      next: (result) => {
        if (result.errors) state.error = result.errors;
        else received.push({ eventId: String((result.extensions as { eventId?: unknown } | undefined)?.eventId), available: (result.data as any).stockChanged.stock.available });
      },
      error: (error) => void (state.error = error),
      complete: () => undefined,
    },
  );
  return { received, state, dispose };
}

beforeAll(async () => {
  const issuer = await testTokenIssuer();
  const databaseUrl = await createTestDatabase('inventory_stock_log');
  ({ config } = readConfig({ DATABASE_URL: databaseUrl, JWKS_URL: issuer.jwksUrl, ...(await serviceTrustEnv('inventory')), LOG_LEVEL: 'silent' }, buildInventoryConfig));
  pool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
  kv = createRedisStore(process.env.SHOP_TEST_REDIS_URL!, { keyPrefix: `inventory-stock-log:${randomUUID()}:` });
  bus = createMemoryBus();
  admin = await issuer.sign('admin-1', 'ADMIN');
  await start();
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await subgraph?.stop();
  await bus?.close();
  await kv?.close();
  await pool?.end();
});

describe('stock event log fed from the outbox', () => {
  it('delivers a change committed before a crash that kept it from the bus, once, after the restart', async () => {
    const productId = `lamp-${randomUUID()}`;
    const live = await subscribe({ p: [productId] });
    await graphqlOk(url, SET_STOCK, { p: productId, q: 1 }, { token: admin });
    await until(async () => live.received.length === 1, 'the first event');
    const last = live.received[0]!;
    live.dispose();

    busDown = true;
    await graphqlOk(url, SET_STOCK, { p: productId, q: 2 }, { token: admin });
    const { rows } = await pool.query("SELECT published_at FROM event_outbox WHERE type = 'stock.changed' AND event->>'key' = $1 ORDER BY seq", [productId]);
    expect(rows).toHaveLength(2);
    expect(rows[1].published_at).toBeNull();
    // The process goes away with the change committed and not published.
    await subgraph.stop();

    busDown = false;
    await start();
    const resumed = await subscribe({ p: [productId], after: last.eventId });
    await until(async () => resumed.received.length >= 1 || resumed.state.error !== null, 'the event committed before the crash');
    expect(resumed.state.error).toBeNull();
    await graphqlOk(url, SET_STOCK, { p: productId, q: 3 }, { token: admin });
    await until(async () => resumed.received.length >= 2, 'a live event after it');
    expect(resumed.received.map((r) => r.available)).toEqual([2, 3]);
    expect(resumed.received[0]!.eventId > last.eventId).toBe(true);
  });

  it('keeps events for the window the deployment chose, and says so to an older `after`', async () => {
    const twoHoursAgo = `${String(Date.now() - 2 * RETENTION_MS).padStart(15, '0')}-0000000000`;
    const stale = await subscribe({ p: ['lamp'], after: twoHoursAgo });
    await until(async () => stale.state.error !== null, 'the refusal');
    expect((stale.state.error as any)[0].extensions).toMatchObject({ code: 'EVENTS_EXPIRED', retentionSeconds: 3600 });
  });
});

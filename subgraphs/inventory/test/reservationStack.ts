import { afterAll, beforeAll, expect } from '@jest/globals';
import pg from 'pg';
import { readConfig } from '@shop/config';
import { createMemoryBus, type EventBus, type EventEnvelope } from '@shop/events';
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

/**
 * One inventory subgraph on its own database and an in-memory bus, with the helpers the
 * reservation suites share. Each suite file gets its own copy (jest loads modules per file);
 * the bindings below are live, filled in by `useReservationStack`'s beforeAll.
 */
export const RESERVE = /* GraphQL */ `
  mutation Reserve($orderId: ID!, $items: [ReservationItemInput!]!, $ttlSeconds: Int) {
    reserveStock(orderId: $orderId, items: $items, ttlSeconds: $ttlSeconds) {
      orderId status expiresAt createdAt items { productId warehouse quantity }
    }
  }
`;
export const RELEASE = 'mutation($orderId: ID!) { releaseReservation(orderId: $orderId) }';
const SET_STOCK = 'mutation($p: ID!, $w: String, $q: Int!) { setStock(productId: $p, warehouse: $w, quantity: $q) { id } }';

export interface Reservation {
  orderId: string;
  status: string;
  expiresAt: string;
  createdAt: string;
  items: Array<{ productId: string; warehouse: string; quantity: number }>;
}

export let subgraph: InventorySubgraph;
export let url: string;
export let pool: pg.Pool;
export let bus: EventBus;
export const events: EventEnvelope[] = [];
export let admin: string;
export let alice: string;
export let bob: string;
let counter = 0;

export const fresh = (label: string) => `${label}-${++counter}`;
// The clock reservations are made and expired by: moved by the tests, never waited for.
export let nowMs = Date.now();
const clock = () => new Date(nowMs);
export const advanceClock = (ms: number) => {
  nowMs += ms;
};

export function useReservationStack(databaseName: string): void {
  beforeAll(async () => {
    const issuer = await testTokenIssuer();
    const databaseUrl = await createTestDatabase(databaseName);
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
}

export async function setStock(productId: string, quantity: number, warehouse = 'main'): Promise<void> {
  await graphqlOk(url, SET_STOCK, { p: productId, w: warehouse, q: quantity }, { token: admin });
}

export async function stock(productId: string): Promise<{ onHand: number; reserved: number; available: number }> {
  const data = await graphqlOk(
    url,
    'query($r: [_Any!]!) { _entities(representations: $r) { ... on Product { stock { onHand reserved available } } } }',
    { r: [{ __typename: 'Product', id: productId }] },
  );
  return data._entities[0].stock;
}

// Checkout (the orders service) is the one caller inventory lets reserve and release stock.
export async function reserve(orderId: string, items: Array<{ productId: string; quantity: number }>, token = alice, ttlSeconds?: number) {
  return graphql<{ reserveStock: Reservation }>(url, RESERVE, { orderId, items, ttlSeconds }, { token, headers: await serviceHeaders('orders', 'inventory') });
}

export async function reserved(orderId: string, items: Array<{ productId: string; quantity: number }>, token = alice, ttlSeconds?: number) {
  const result = await reserve(orderId, items, token, ttlSeconds);
  if (result.errors) throw new Error(JSON.stringify(result.errors));
  return result.data!.reserveStock;
}

export async function statusOf(orderId: string): Promise<string | undefined> {
  const { rows } = await pool.query<{ status: string }>('SELECT status FROM stock_reservations WHERE order_id = $1', [orderId]);
  return rows[0]?.status;
}

/** Waits until the relay has published every event committed so far. */
export async function published(): Promise<void> {
  await until(async () => {
    const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM event_outbox WHERE published_at IS NULL');
    return rows[0]!.n === 0;
  });
  await until(async () => {
    const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM event_outbox');
    return events.length >= rows[0]!.n;
  });
}

export const eventsAbout = (key: string, type?: string) => events.filter((e) => e.key === key && (type === undefined || e.type === type));

export function expectError(result: GraphQLResponse, code: string, field?: string) {
  expect(errorCodes(result)).toEqual([code]);
  if (field !== undefined) expect(result.errors?.[0]?.extensions?.field).toBe(field);
}

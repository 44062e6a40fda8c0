import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { readConfig } from '@shop/config';
import { createTestDatabase, graphqlOk, testTokenIssuer, callAsRouter, serviceTrustEnv, serviceHeaders } from '@shop/testing';
import { buildInventoryConfig } from '../src/config.js';
import { createInventorySubgraph, type InventorySubgraph } from '../src/server.js';

// `stock.changed` carries what was available before the change, so a consumer (the wishlist's
// back-in-stock alerts) can tell a restock from 0 apart from any other movement without keeping
// state of its own, whatever order the events arrive in.
const SET_STOCK = 'mutation($p: ID!, $q: Int!) { setStock(productId: $p, quantity: $q) { id } }';
const RESERVE = 'mutation($o: ID!, $items: [ReservationItemInput!]!) { reserveStock(orderId: $o, items: $items) { status } }';
const RELEASE = 'mutation($o: ID!) { releaseReservation(orderId: $o) }';

let subgraph: InventorySubgraph;
let url: string;
let pool: pg.Pool;
let admin: string;
let customer: string;

beforeAll(async () => {
  const issuer = await testTokenIssuer();
  const databaseUrl = await createTestDatabase('inventory_events');
  const { config } = readConfig({ DATABASE_URL: databaseUrl, JWKS_URL: issuer.jwksUrl, ...(await serviceTrustEnv('inventory')), LOG_LEVEL: 'silent' }, buildInventoryConfig);
  subgraph = await createInventorySubgraph(config);
  ({ url } = await subgraph.listen(0, '127.0.0.1'));
  callAsRouter(url, 'inventory');
  pool = new pg.Pool({ connectionString: databaseUrl });
  admin = await issuer.sign('admin-1', 'ADMIN');
  customer = await issuer.sign('customer-1');
});

afterAll(async () => {
  await pool?.end();
  await subgraph?.stop();
});

async function changesOf(productId: string) {
  const { rows } = await pool.query<{ event: { data: Record<string, unknown> } }>(
    "SELECT event FROM event_outbox WHERE type = 'stock.changed' AND event->>'key' = $1 ORDER BY seq",
    [productId],
  );
  return rows.map(({ event }) => ({ previousAvailable: event.data.previousAvailable, available: event.data.available }));
}

describe('stock.changed', () => {
  it('says what was available before each set, reservation and release', async () => {
    await graphqlOk(url, SET_STOCK, { p: 'kettle', q: 3 }, { token: admin });
    await graphqlOk(url, RESERVE, { o: 'order-kettle', items: [{ productId: 'kettle', quantity: 3 }] }, { token: customer, headers: await serviceHeaders('orders', 'inventory') });
    await graphqlOk(url, RELEASE, { o: 'order-kettle' }, { token: customer, headers: await serviceHeaders('orders', 'inventory') });
    await graphqlOk(url, SET_STOCK, { p: 'kettle', q: 0 }, { token: admin });

    expect(await changesOf('kettle')).toEqual([
      { previousAvailable: 0, available: 3 },
      { previousAvailable: 3, available: 0 },
      { previousAvailable: 0, available: 3 },
      { previousAvailable: 3, available: 0 },
    ]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { SubgraphServer } from '@shop/subgraph-kit';
import { testRouterKey } from '@shop/testing';
import { createRouter, manifestOperations, sha256Hex, type Router } from '../src/index.js';
import { logger, manualClock, startCatalogAndPrices } from './fixtures.js';

// A partner retrying an idempotent mutation gets the first answer again, and pays for it once:
// the replay runs nothing, so it takes nothing from the bucket and needs no budget left.
const rename = 'mutation Rename($id: ID!, $name: String!) { rename(id: $id, name: $name) { id name } }';
const partnerKey = 'partner-key-replay-0123456789';
const manifest = manifestOperations({
  format: 'apollo-persisted-query-manifest',
  version: 1,
  operations: [{ id: sha256Hex(rename), name: 'Rename', type: 'mutation', body: rename }],
});

let servers: SubgraphServer[];
let router: Router;
let url: string;

interface Cost {
  requestedQueryCost: number;
  actualQueryCost: number | null;
  throttleStatus: { currentlyAvailable: number };
}

async function call(key: string, name: string) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': partnerKey, 'idempotency-key': key },
    body: JSON.stringify({ operationName: 'Rename', variables: { id: 'i1', name }, extensions: { persistedQuery: { version: 1, sha256Hash: sha256Hex(rename) } } }),
  });
  const body = (await response.json()) as { data?: any; errors?: any[]; extensions?: { cost?: Cost } };
  return { status: response.status, replayed: response.headers.get('idempotent-replayed'), body, cost: body.extensions?.cost };
}

beforeAll(async () => {
  let supergraphSdl: string;
  ({ supergraphSdl, servers } = await startCatalogAndPrices());
  // `rename { id name }` costs 3 points: a bucket of 3 that never refills (the clock stands still) holds one.
  router = createRouter({ serviceKey: await testRouterKey(), supergraphSdl, logger, partnerApiKeys: [partnerKey], partnerManifest: manifest, partnerCost: { budget: 3, restoreRate: 1 }, clock: manualClock() });
  ({ url } = await router.listen(0, '127.0.0.1'));
});

afterAll(async () => {
  await router?.stop();
  await Promise.all(servers.map((s) => s.stop()));
});

describe('partner idempotent replays', () => {
  it('are answered without charging the quota again, even with the bucket empty', async () => {
    const first = await call('rename-1', 'Lamp');
    expect(first.body.errors).toBeUndefined();
    expect(first.body.data).toEqual({ rename: { id: 'i1', name: 'Lamp' } });
    expect(first.cost).toMatchObject({ requestedQueryCost: 3, actualQueryCost: 3, throttleStatus: { currentlyAvailable: 0 } });

    // The bucket is empty: a new mutation waits...
    const other = await call('rename-2', 'Desk');
    expect(other.status).toBe(429);
    expect(other.body.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');

    // ...but the retries of the first are answered, free, as often as the partner asks.
    for (let retry = 0; retry < 2; retry += 1) {
      const again = await call('rename-1', 'Lamp');
      expect(again.status).toBe(200);
      expect(again.replayed).toBe('true');
      expect(again.body.data).toEqual(first.body.data);
      expect(again.cost).toMatchObject({ requestedQueryCost: 3, actualQueryCost: 0, throttleStatus: { currentlyAvailable: 0 } });
    }
    // The same key with other variables is still refused.
    expect((await call('rename-1', 'Chair')).body.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'IDEMPOTENCY_KEY_REUSED' });
  });
});

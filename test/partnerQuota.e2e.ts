import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { composeSupergraph, createRouter, readPersistedQueryManifest, type PersistedQueryManifest, type Router } from '@shop/router';
import { createLogger } from '@shop/subgraph-kit';
import { manualClock } from '../router/test/fixtures.js';
import { startSupergraph, type Supergraph } from './support/supergraph.js';

// Partner cost quotas end to end: two router replicas sharing the suite's Redis, the committed
// partner manifest, the real subgraphs, and a clock the test moves instead of waiting.
const root = join(new URL('.', import.meta.url).pathname, '..');
const MANIFEST_PATH = join(root, 'clients/partner/persisted-query-manifest.json');
const BUDGET = 200;
const RESTORE_RATE = 10;
const manifest = JSON.parse(readFileSync(MANIFEST_PATH, 'utf8')) as PersistedQueryManifest;
const clock = manualClock();
// Fresh keys per run: the buckets live in the suite's shared Redis.
const [PARTNER_A, PARTNER_B, PARTNER_C] = ['a', 'b', 'c'].map((name) => `partner-${name}-${randomUUID()}`) as [string, string, string];
const PARTNER_KEYS = [PARTNER_A, PARTNER_B, PARTNER_C];

let sg: Supergraph;
const routers: Router[] = [];
const urls: string[] = [];

interface Cost {
  requestedQueryCost: number;
  actualQueryCost: number | null;
  throttleStatus: { maximumAvailable: number; currentlyAvailable: number; restoreRate: number };
}

async function call(url: string, apiKey: string | null, name: string, variables: Record<string, unknown> = {}) {
  const operation = manifest.operations.find((op) => op.name === name)!;
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...(apiKey ? { 'x-api-key': apiKey } : {}) },
    body: JSON.stringify({ operationName: name, variables, ...(apiKey ? { extensions: { persistedQuery: { version: 1, sha256Hash: operation.id } } } : { query: operation.body }) }),
  });
  const body = (await response.json()) as { data?: any; errors?: any[]; extensions?: { cost?: Cost } };
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body, cost: body.extensions?.cost };
}

beforeAll(async () => {
  sg = await startSupergraph();
  const supergraphSdl = composeSupergraph(
    Object.entries(sg.stack.urls).map(([name, url]) => ({ name, url, typeDefs: readFileSync(join(root, 'subgraphs', name, 'src', 'schema.graphql'), 'utf8') })),
  ).supergraphSdl;
  const partnerManifest = await readPersistedQueryManifest(MANIFEST_PATH);
  for (let replica = 0; replica < 2; replica += 1) {
    const router = createRouter({
      supergraphSdl,
      logger: createLogger({ service: 'router', level: 'silent' }),
      accessTokens: sg.jwksUrl,
      serviceKey: sg.routerKey,
      redisUrl: process.env.SHOP_TEST_REDIS_URL,
      partnerApiKeys: PARTNER_KEYS,
      partnerManifest,
      partnerCost: { budget: BUDGET, restoreRate: RESTORE_RATE },
      clock,
    });
    routers.push(router);
    urls.push((await router.listen(0, '127.0.0.1')).url);
  }
});

afterAll(async () => {
  await Promise.all(routers.map((router) => router.stop()));
  await sg?.stop();
});


describe('partner cost quotas', () => {
  it('reports every partner answer’s cost in Shopify’s extensions.cost shape, charging what the data really cost', async () => {
    const key = PARTNER_A;
    const small = await call(urls[0]!, key, 'ProductListing', { first: 2 });
    expect(small.body.errors).toBeUndefined();
    expect(small.body.data.products.edges).toHaveLength(2);
    const larger = await call(urls[1]!, key, 'ProductListing', { first: 6 });
    expect(larger.body.data.products.edges).toHaveLength(6);

    for (const answer of [small, larger]) {
      expect(answer.cost).toEqual({
        requestedQueryCost: expect.any(Number),
        actualQueryCost: expect.any(Number),
        throttleStatus: { maximumAvailable: BUDGET, currentlyAvailable: expect.any(Number), restoreRate: RESTORE_RATE },
      });
      expect(answer.cost!.actualQueryCost).toBeGreaterThan(0);
      expect(answer.cost!.actualQueryCost).toBeLessThanOrEqual(answer.cost!.requestedQueryCost);
    }
    // Asking for more rows costs more, estimated and actual.
    expect(larger.cost!.requestedQueryCost).toBeGreaterThan(small.cost!.requestedQueryCost);
    expect(larger.cost!.actualQueryCost).toBeGreaterThan(small.cost!.actualQueryCost!);
    // One bucket across both replicas, charged the actual cost (the unused estimate came back); the clock stood still.
    expect(larger.cost!.throttleStatus.currentlyAvailable).toBe(Math.floor(BUDGET - small.cost!.actualQueryCost! - larger.cost!.actualQueryCost!));
  }, 60_000);

  it('slows a partner over budget with RATE_LIMITED and Retry-After, and serves it again once the bucket refilled', async () => {
    const key = PARTNER_B;
    let refused: Awaited<ReturnType<typeof call>> | null = null;
    let served = 0;
    for (let attempt = 0; attempt < 40 && !refused; attempt += 1) {
      const answer = await call(urls[attempt % 2]!, key, 'ProductListing', { first: 6 });
      if (answer.body.errors) refused = answer;
      else served += 1;
    }
    expect(served).toBeGreaterThan(0);
    expect(refused).not.toBeNull();
    expect(refused!.status).toBe(429);
    expect(refused!.body.errors![0].extensions.code).toBe('RATE_LIMITED');
    const { requestedQueryCost, throttleStatus } = refused!.cost!;
    expect(throttleStatus.currentlyAvailable).toBeLessThan(requestedQueryCost);
    expect(Number(refused!.retryAfter)).toBe(Math.ceil((requestedQueryCost - throttleStatus.currentlyAvailable) / RESTORE_RATE));

    // The other partner's bucket is its own.
    expect((await call(urls[0]!, PARTNER_C, 'Categories')).body.errors).toBeUndefined();

    clock.advance(Number(refused!.retryAfter) * 1000);
    const again = await call(urls[1]!, key, 'ProductListing', { first: 6 });
    expect(again.body.errors).toBeUndefined();
    expect(again.body.data.products.edges).toHaveLength(6);
  }, 60_000);

  it('refuses outright an operation that costs more than a full bucket, since waiting would not help', async () => {
    const answer = await call(urls[0]!, PARTNER_C, 'ProductListing', { first: 100 });
    expect(answer.body.errors![0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'partnerCostBudget', max: BUDGET });
    expect(answer.retryAfter).toBeNull();
    expect(answer.cost!.requestedQueryCost).toBeGreaterThan(BUDGET);
  }, 60_000);

  it('leaves everyone else’s answers as they were: no cost extension without a partner key', async () => {
    const answer = await call(urls[0]!, null, 'Categories');
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.extensions?.cost).toBeUndefined();
  }, 60_000);
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'graphql';
import { createEvent, createMemoryBus, type EventBus } from '@shop/events';
import { createMemoryStore, type KeyValueStore } from '@shop/kv';
import { createLogger, createSubgraphServer, type RequestBase, type SubgraphServer } from '@shop/subgraph-kit';
import { composeSupergraph, createRouter, type Router } from '../src/index.js';
import { keySet, tokenFor } from './fixtures.js';
import { TEST_INTERNAL_CALLS, testRouterKey, until } from '@shop/testing';

// What an orchestrator and an operator see: liveness apart from readiness on a subgraph and on
// the router, and the event bus's dead letters and metrics through the router.
const logger = createLogger({ service: 'test', level: 'silent' });
const typeDefs = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
  type Query { ping: String }
`);

let databaseUp = true;
let storeUp = true;
let subgraph: SubgraphServer;
let subgraphBase: string;
let router: Router;
let routerBase: string;
let bus: EventBus;
let routerKv: KeyValueStore;

beforeAll(async () => {
  bus = createMemoryBus({ retry: { maxAttempts: 2, delayMs: () => 0 } });
  subgraph = createSubgraphServer<RequestBase>({ internalCalls: TEST_INTERNAL_CALLS,
    name: 'pings',
    typeDefs,
    accessTokens: keySet,
    logger,
    context: (base) => base,
    resolvers: { Query: { ping: () => 'pong' } } as never,
    readiness: async () => {
      if (!databaseUp) throw new Error('database unreachable');
    },
    metrics: bus.metrics,
  });
  const { url } = await subgraph.listen(0, '127.0.0.1');
  subgraphBase = url.replace(/\/graphql$/, '');
  const memory = createMemoryStore();
  routerKv = {
    ...memory,
    ping: async () => {
      if (!storeUp) throw new Error('redis unreachable');
    },
  };
  const { supergraphSdl } = composeSupergraph([{ name: 'pings', url, typeDefs }]);
  router = createRouter({ serviceKey: await testRouterKey(), supergraphSdl, logger, accessTokens: keySet, kv: routerKv, events: bus, metricsPort: 0 });
  routerBase = (await router.listen(0, '127.0.0.1')).url.replace(/\/graphql$/, '');
});

afterAll(async () => {
  await router.stop();
  await subgraph.stop();
  await bus.close();
  await routerKv.close();
});

describe('liveness and readiness', () => {
  it('keeps a subgraph live but not ready while a dependency is unreachable', async () => {
    expect((await fetch(`${subgraphBase}/health/ready`)).status).toBe(200);
    databaseUp = false;
    const ready = await fetch(`${subgraphBase}/health/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: 'unavailable', reason: 'database unreachable' });
    expect((await fetch(`${subgraphBase}/health/live`)).status).toBe(200);
    databaseUp = true;
    expect((await fetch(`${subgraphBase}/health/ready`)).status).toBe(200);
  });

  it('keeps the router live but not ready while its store is unreachable; /health still lists subgraphs', async () => {
    storeUp = false;
    const ready = await fetch(`${routerBase}/health/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: 'unavailable', reasons: ['store: redis unreachable'] });
    expect((await fetch(`${routerBase}/health/live`)).status).toBe(200);
    storeUp = true;
    expect(await (await fetch(`${routerBase}/health/ready`)).json()).toEqual({ status: 'ready', reasons: [] });
    expect(await (await fetch(`${routerBase}/health`)).json()).toMatchObject({ status: 'ok', subgraphs: { pings: 'up' } });
  });
});

describe('dead letters through the router', () => {
  it('lists and replays a dead letter for an ADMIN only, and exports the event metrics', async () => {
    let healed = false;
    const handled: string[] = [];
    await bus.subscribe({
      group: 'orders',
      types: '*',
      handler: async (event) => {
        if (!healed) throw new Error('order service cannot apply this');
        handled.push(event.id);
      },
    });
    const poison = createEvent('payments', 'payment.succeeded', 'order-1', { orderId: 'order-1' });
    await bus.publish([poison]);
    await until(async () => (await bus.deadLetters()).length === 1);

    const admin = await tokenFor('admin-1', 'ADMIN', { ttlSeconds: 300 });
    const customer = await tokenFor('user-1', 'CUSTOMER', { ttlSeconds: 300 });
    const list = (token?: string) =>
      fetch(`${routerBase}/admin/events/dead-letters?group=orders`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
    expect((await list()).status).toBe(401);
    expect((await list(customer)).status).toBe(403);
    const listed = (await (await list(admin)).json()) as { deadLetters: Array<{ id: string; attempts: number; event: { id: string } }> };
    expect(listed.deadLetters).toHaveLength(1);
    expect(listed.deadLetters[0]).toMatchObject({ attempts: 2, event: { id: poison.id } });

    const metrics = await (await fetch(router.metricsUrl!)).text();
    expect(metrics).toMatch(/^events_dead_letters\{group="orders"\} 1$/m);
    expect(metrics).toMatch(/^events_retries_total\{group="orders",type="payment.succeeded"\} 1$/m);
    expect(metrics).toMatch(/^# TYPE router_operations_total counter$/m);
    expect(await (await fetch(`${subgraphBase}/metrics`)).text()).toMatch(/^events_dead_letters\{group="orders"\} 1$/m);

    healed = true;
    const replay = (id: string) =>
      fetch(`${routerBase}/admin/events/dead-letters/${id}/replay`, { method: 'POST', headers: { authorization: `Bearer ${admin}` } });
    const replayed = await replay(listed.deadLetters[0]!.id);
    expect(replayed.status).toBe(200);
    await until(async () => handled.includes(poison.id));
    const again = await replay(listed.deadLetters[0]!.id);
    expect(again.status).toBe(404);
    expect(((await again.json()) as any).errors[0].extensions.code).toBe('NOT_FOUND');
  });
});

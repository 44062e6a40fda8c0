import { afterEach, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { createEvent, createMemoryBus, createRedisBus, type EventBus, type EventEnvelope } from '@shop/events';

// One contract for Redis Streams (against the suite's real redis-server) and the in-process bus.
const buses: Array<[string, () => EventBus]> = [
  ['memory', () => createMemoryBus()],
  ['redis', () => createRedisBus(process.env.SHOP_TEST_REDIS_URL!, { stream: `test-events:${randomUUID()}`, claimIdleMs: 300 })],
];

async function until(check: () => boolean, timeoutMs = 8000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe.each(buses)('event bus contract: %s', (_name, create) => {
  let bus: EventBus;
  afterEach(async () => {
    await bus?.close();
  });

  it('delivers every event to every group, and each event once within a group', async () => {
    bus = create();
    const analytics: string[] = [];
    const replicaA: string[] = [];
    const replicaB: string[] = [];
    await bus.subscribe({ group: 'analytics', types: '*', handler: async (e) => void analytics.push(e.key) });
    await bus.subscribe({ group: 'notifications', types: '*', handler: async (e) => void replicaA.push(e.key) });
    await bus.subscribe({ group: 'notifications', types: '*', handler: async (e) => void replicaB.push(e.key) });
    const events = Array.from({ length: 20 }, (_, i) => createEvent('orders', 'order.placed', `o${i}`, { n: i }));
    await bus.publish(events);
    await until(() => analytics.length === 20 && replicaA.length + replicaB.length === 20);
    expect(analytics).toEqual(events.map((e) => e.key));
    expect([...replicaA, ...replicaB].sort()).toEqual(events.map((e) => e.key).sort());
  });

  it('hands a handler only the types it asked for, with the envelope intact', async () => {
    bus = create();
    const seen: EventEnvelope[] = [];
    await bus.subscribe({ group: 'inventory', types: ['order.placed'], handler: async (e) => void seen.push(e) });
    const wanted = createEvent('orders', 'order.placed', 'o1', { items: [{ productId: 'p1', quantity: 2 }] });
    await bus.publish([createEvent('orders', 'order.noise', 'o0', {}), wanted]);
    await until(() => seen.length === 1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(seen).toEqual([wanted]);
  });

  it('redelivers an event until its handler succeeds (at least once)', async () => {
    bus = create();
    let calls = 0;
    const handled: string[] = [];
    await bus.subscribe({
      group: 'payments',
      types: '*',
      handler: async (e) => {
        calls += 1;
        if (calls < 3) throw new Error('transient failure');
        handled.push(e.id);
      },
    });
    const event = createEvent('orders', 'order.placed', 'o1', {});
    await bus.publish([event]);
    await until(() => handled.length === 1, 20_000);
    expect(calls).toBe(3);
    expect(handled).toEqual([event.id]);
  }, 30_000);

  it('lets a group that starts late catch up from the beginning, or only see new events', async () => {
    bus = create();
    await bus.publish([createEvent('products', 'product.created', 'p1', {})]);
    const fromStart: string[] = [];
    const onlyNew: string[] = [];
    await bus.subscribe({ group: 'search', types: '*', handler: async (e) => void fromStart.push(e.key) });
    await bus.subscribe({ group: 'live', types: '*', startAt: 'new', handler: async (e) => void onlyNew.push(e.key) });
    await bus.publish([createEvent('products', 'product.created', 'p2', {})]);
    await until(() => fromStart.length === 2 && onlyNew.length === 1);
    expect(fromStart).toEqual(['p1', 'p2']);
    expect(onlyNew).toEqual(['p2']);
  });
});

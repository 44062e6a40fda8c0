import { afterEach, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEvent, createMemoryBus, createRedisBus, type BusOptions, type EventBus, type EventEnvelope } from '@shop/events';
import { until } from '@shop/testing';

// One contract for Redis Streams (against the suite's real redis-server) and the in-process bus.
const buses: Array<[string, (options?: BusOptions) => EventBus]> = [
  ['memory', (options) => createMemoryBus(options)],
  [
    'redis',
    (options) =>
      createRedisBus(process.env.SHOP_TEST_REDIS_URL!, { stream: `test-events:${randomUUID()}`, blockMs: 20, ...options }),
  ],
];

/** One sample of a metric from the Prometheus text format (0 when absent). */
async function metric(bus: EventBus, name: string, labels: string): Promise<number> {
  const text = await bus.metrics.metrics();
  const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}} `));
  return line ? Number(line.split(' ').pop()) : 0;
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
    // A group gets its events in publish order: once the one after the noise has arrived, the
    // noise would have come first had it been handed over.
    const after = createEvent('orders', 'order.placed', 'o2', {});
    await bus.publish([createEvent('orders', 'order.noise', 'o0', {}), wanted, after]);
    await until(() => seen.length >= 2);
    expect(seen).toEqual([wanted, after]);
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
    await until(() => handled.length === 1, 'the redelivered event', 20_000);
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

  it('dead-letters a poison event after its last try while the other events flow, and replays it', async () => {
    // The bus clock is frozen unless the test moves it: backoff is proven by the clock, not by sleeping.
    let clock = Date.parse('2026-12-06T10:00:00Z');
    bus = create({ now: () => clock, retry: { maxAttempts: 3, delayMs: (attempt) => 60_000 * attempt } });
    let healed = false;
    const handled: string[] = [];
    const tries = () => attempts.filter((key) => key === 'poison').length;
    const attempts: string[] = [];
    await bus.subscribe({
      group: 'orders',
      types: '*',
      handler: async (e) => {
        attempts.push(e.key);
        if (e.key === 'poison' && !healed) throw new Error('cannot handle poison');
        handled.push(e.key);
      },
    });
    const poison = createEvent('payments', 'payment.succeeded', 'poison', { orderId: 'o-404' });
    await bus.publish([poison, createEvent('payments', 'payment.succeeded', 'ok-0', {})]);
    await until(() => tries() === 1 && handled.includes('ok-0'));

    // The poison event waits a minute of bus time; everything published meanwhile is handled.
    const later = Array.from({ length: 10 }, (_, i) => createEvent('payments', 'payment.succeeded', `ok-${i + 1}`, {}));
    await bus.publish(later);
    await until(() => handled.length === 11);
    expect(tries()).toBe(1);
    expect(await metric(bus, 'events_retrying', 'group="orders"')).toBe(1);

    clock += 60_000;
    await until(() => tries() === 2);
    clock += 120_000;
    await until(() => tries() === 3);
    await until(async () => (await bus.deadLetters()).length === 1);
    const [letter] = await bus.deadLetters({ group: 'orders' });
    expect(letter).toMatchObject({ group: 'orders', attempts: 3, error: 'cannot handle poison', event: poison });
    expect(await bus.deadLetters({ group: 'search' })).toEqual([]);
    expect(handled).not.toContain('poison');
    expect(await metric(bus, 'events_retries_total', 'group="orders",type="payment.succeeded"')).toBe(2);
    expect(await metric(bus, 'events_dead_lettered_total', 'group="orders",type="payment.succeeded"')).toBe(1);
    expect(await metric(bus, 'events_dead_letters', 'group="orders"')).toBe(1);
    expect(await metric(bus, 'events_handled_total', 'group="orders",type="payment.succeeded"')).toBe(11);

    // Fixed: the replay hands it to its group once more; a second replay of the same id finds nothing.
    healed = true;
    expect((await bus.replayDeadLetter(letter!.id))?.event).toEqual(poison);
    await until(() => handled.includes('poison'));
    expect(await bus.replayDeadLetter(letter!.id)).toBeNull();
    expect(await bus.deadLetters()).toEqual([]);
    expect(await metric(bus, 'events_dead_letters', 'group="orders"')).toBe(0);
    expect(tries()).toBe(4);
  });

  it('reports the backlog of a group whose consumer is stuck', async () => {
    bus = create();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const handled: string[] = [];
    await bus.subscribe({
      group: 'analytics',
      types: '*',
      handler: async (e) => {
        await gate;
        handled.push(e.key);
      },
    });
    await bus.publish(Array.from({ length: 5 }, (_, i) => createEvent('orders', 'order.placed', `o${i}`, {})));
    await until(async () => (await metric(bus, 'events_consumer_lag', 'group="analytics"')) + (await metric(bus, 'events_pending', 'group="analytics"')) === 5);
    release();
    await until(() => handled.length === 5);
    await until(async () => (await metric(bus, 'events_consumer_lag', 'group="analytics"')) + (await metric(bus, 'events_pending', 'group="analytics"')) === 0);
  });
});

describe('in-process bus kept on disk', () => {
  it('delivers after a restart what a group had not finished, keeps backoff and dead letters, and skips what it had handled', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'bus-journal-')), 'events');
    let clock = Date.parse('2026-12-06T10:00:00Z');
    const options = { persistPath: path, now: () => clock, retry: { maxAttempts: 2, delayMs: () => 60_000 } };
    const first = createMemoryBus(options);
    const seen: string[] = [];
    const orders = await first.subscribe({
      group: 'orders',
      types: '*',
      handler: async (e) => {
        seen.push(e.key);
        if (e.key === 'flaky' || e.key === 'poison') throw new Error(`cannot handle ${e.key}`);
      },
    });
    await first.publish(['done', 'poison'].map((key) => createEvent('payments', 'payment.succeeded', key, {})));
    await until(() => seen.length === 2);
    clock += 60_000;
    await until(async () => (await first.deadLetters()).length === 1);
    // flaky fails once and waits a minute of bus time, across the restart.
    await first.publish([createEvent('payments', 'payment.succeeded', 'flaky', {})]);
    await until(() => seen.includes('flaky'));
    await orders.stop();
    await first.publish([createEvent('payments', 'payment.succeeded', 'while-down', {})]);
    await first.close();

    const second = createMemoryBus(options);
    const after: string[] = [];
    await second.subscribe({ group: 'orders', types: '*', handler: async (e) => void after.push(e.key) });
    await until(() => after.includes('while-down'));
    expect(after).toEqual(['while-down']);
    clock += 60_000;
    await until(() => after.includes('flaky'));
    const [letter] = await second.deadLetters();
    expect(letter).toMatchObject({ group: 'orders', attempts: 2, event: { key: 'poison' } });
    expect(await second.replayDeadLetter(letter!.id)).not.toBeNull();
    await until(() => after.includes('poison'));
    await second.close();

    // What was handled before the last restart is not handed out again.
    const third = createMemoryBus(options);
    const last: string[] = [];
    await third.subscribe({ group: 'orders', types: '*', handler: async (e) => void last.push(e.key) });
    await third.publish([createEvent('payments', 'payment.succeeded', 'fresh', {})]);
    await until(() => last.includes('fresh'));
    expect(last).toEqual(['fresh']);
    expect(await third.deadLetters()).toEqual([]);
    await third.close();
  });
});

import { afterEach, describe, expect, it } from '@jest/globals';
import { createMemoryBus, type EventBus, type EventEnvelope } from '@shop/events';
import { createLogger } from '@shop/subgraph-kit';
import { until } from '@shop/testing';
import { pendingEvent } from '../src/events.js';
import { startPendingEventRelay, type PendingEventRelay } from '../src/relay.js';
import type { ProductRepository } from '../src/repository.js';
import { createEmbeddedProductRepository } from '../src/repository/embedded.js';
import { category, fixtureId, product } from './fixtures.js';

const logger = createLogger({ service: 'products-test', level: 'silent' });
const at = new Date('2025-01-01T00:00:00Z');

/** A bus that records what it was given and fails while `failing` is set. */
function recordingBus(): EventBus & { published: EventEnvelope[]; failing: boolean } {
  const bus = {
    ...createMemoryBus(),
    published: [] as EventEnvelope[],
    failing: false,
    async publish(events: readonly EventEnvelope[]) {
      if (bus.failing) throw new Error('bus unavailable');
      bus.published.push(...events);
    },
    subscribe: () => Promise.reject(new Error('not used')),
  };
  return bus;
}

async function storeWithPending(count: number): Promise<ProductRepository> {
  const store = createEmbeddedProductRepository();
  await store.insertCategories([category(1, 'Top', null), category(2, 'Below', 1)]);
  await store.insertProducts(
    Array.from({ length: count }, (_, i) => ({
      ...product(i + 1, { sku: `R-${i + 1}`, name: `Relayed ${i + 1}`, categoryId: fixtureId('category', 2), minor: 500 }),
      pendingEvents: [pendingEvent('product.created', at)],
    })),
  );
  return store;
}

describe('pending event relay', () => {
  const relays: PendingEventRelay[] = [];
  const start = (repository: ProductRepository, bus: EventBus, options: { pollMs?: number; batchSize?: number } = {}) => {
    const relay = startPendingEventRelay({ repository, bus, logger, pollMs: options.pollMs ?? 60_000, batchSize: options.batchSize });
    relays.push(relay);
    return relay;
  };

  afterEach(async () => {
    await Promise.all(relays.splice(0).map((relay) => relay.stop()));
  });

  it('publishes every pending event once, in batches, and removes what it published', async () => {
    const store = await storeWithPending(7);
    const bus = recordingBus();
    const relay = start(store, bus, { batchSize: 3 });
    await relay.flush();
    expect(bus.published).toHaveLength(7);
    expect(new Set(bus.published.map((e) => e.id)).size).toBe(7);
    expect(bus.published[0]).toMatchObject({
      type: 'product.created',
      source: 'products',
      key: fixtureId('product', 1),
      occurredAt: at.toISOString(),
      data: { product: { sku: 'R-1', categoryIds: [fixtureId('category', 1), fixtureId('category', 2)], categoryName: 'Below', priceMinor: 500 } },
    });
    expect(await store.findPendingEvents(100)).toEqual([]);
    expect(await relay.flush()).toBe(0);
    expect(bus.published).toHaveLength(7);
  });

  it('keeps events while the bus fails, and publishes them with the same ids once it is back', async () => {
    const store = await storeWithPending(2);
    const bus = recordingBus();
    bus.failing = true;
    const relay = start(store, bus);
    await expect(relay.flush()).rejects.toThrow('bus unavailable');
    await relay.afterWrite(); // never throws: the write it follows has succeeded
    const waiting = (await store.findPendingEvents(100)).flatMap((w) => w.events.map((e) => e.id));
    expect(waiting).toHaveLength(2);

    bus.failing = false;
    await relay.flush();
    expect(bus.published.map((e) => e.id).sort()).toEqual(waiting.sort());
  });

  it('publishes again, with the same ids, when it stopped between publishing and removing (at least once)', async () => {
    const store = await storeWithPending(1);
    let crash = true;
    const crashing: ProductRepository = {
      ...store,
      async removePendingEvents(published) {
        if (crash) {
          crash = false;
          throw new Error('process died');
        }
        return store.removePendingEvents(published);
      },
    };
    const bus = recordingBus();
    const relay = start(crashing, bus);
    await expect(relay.flush()).rejects.toThrow('process died');
    await relay.flush();
    expect(bus.published).toHaveLength(2);
    expect(bus.published[0]!.id).toBe(bus.published[1]!.id);
    expect(await store.findPendingEvents(100)).toEqual([]);
  });

  it('finds events left behind on its own, by polling', async () => {
    const store = await storeWithPending(0);
    const bus = recordingBus();
    start(store, bus, { pollMs: 20 });
    await store.insertProducts([{ ...product(50, { sku: 'LATE-1', name: 'Late', categoryId: fixtureId('category', 1), minor: 1 }), pendingEvents: [pendingEvent('product.created', at)] }]);
    await until(() => bus.published.length > 0, 'the poll to publish');
    expect(bus.published.map((e) => e.key)).toEqual([fixtureId('product', 50)]);
  });

  it('publishes events of a write that landed during a flush before that flush resolves', async () => {
    const store = await storeWithPending(1);
    const bus = createMemoryBus();
    const received: EventEnvelope[] = [];
    await bus.subscribe({ group: 't', types: '*', handler: async (e) => void received.push(e) });
    const relay = start(store, bus);
    const running = relay.flush();
    await store.updateProduct(fixtureId('product', 1), { name: 'Changed meanwhile' }, at, pendingEvent('product.updated', at));
    const second = relay.flush();
    await Promise.all([running, second]);
    expect(await store.findPendingEvents(100)).toEqual([]);
    await bus.close();
    expect(received.map((e) => e.type)).toEqual(['product.created', 'product.updated']);
  });
});

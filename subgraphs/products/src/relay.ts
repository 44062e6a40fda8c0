import type { EventBus } from '@shop/events';
import type { Logger } from '@shop/subgraph-kit';
import { toEnvelope } from './events.js';
import { exchangeRates } from './pricing.js';
import type { ProductRepository } from './repository.js';

export interface PendingEventRelay {
  /** Publishes every event waiting now; resolves to how many went out. */
  flush(): Promise<number>;
  /** Publishes what a write just recorded; never throws (what fails stays pending for the next poll). */
  afterWrite(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The outbox relay of a store without transactions: products carry the events their writes
 * recorded; this publishes them to the bus and then removes them. Publishing happens right after
 * each write (`afterWrite`) and on a poll, which picks up whatever a failed publish or a crashed
 * process left behind. A crash between publishing and removing publishes again: at least once,
 * and consumers dedupe by event id.
 */
export function startPendingEventRelay(options: {
  repository: ProductRepository;
  bus: EventBus;
  logger: Logger;
  pollMs?: number;
  batchSize?: number;
}): PendingEventRelay {
  const { repository, bus, logger } = options;
  const batchSize = options.batchSize ?? 100;
  let stopped = false;
  let running: Promise<number> | null = null;
  let again = false;
  let timer: NodeJS.Timeout | null = null;

  /** One batch of products with events waiting: how many products it held, how many events went out. */
  const publishBatch = async (): Promise<{ products: number; events: number }> => {
    const waiting = await repository.findPendingEvents(batchSize);
    if (waiting.length === 0) return { products: 0, events: 0 };
    const [categoryList, rateList] = await Promise.all([repository.listCategories(), repository.listExchangeRates()]);
    const categories = new Map(categoryList.map((category) => [category._id, category]));
    const rates = exchangeRates(rateList);
    const now = new Date();
    const envelopes = waiting.flatMap(({ product, events }) => events.map((event) => toEnvelope(event, product, categories, rates, now)));
    await bus.publish(envelopes);
    await repository.removePendingEvents(
      waiting.map(({ product, events }) => ({ productId: product._id, eventIds: events.map((event) => event.id) })),
    );
    return { products: waiting.length, events: envelopes.length };
  };

  const flush = (): Promise<number> => {
    if (running) {
      // A write landed while a flush was under way: go round once more before resolving.
      again = true;
      return running;
    }
    running = (async () => {
      let total = 0;
      try {
        do {
          again = false;
          // A full batch means more may be waiting.
          for (let products = batchSize; products === batchSize && !stopped; ) {
            const batch = await publishBatch();
            total += batch.events;
            products = batch.products;
          }
        } while (again && !stopped);
      } finally {
        running = null;
      }
      return total;
    })();
    return running;
  };

  const tick = () => {
    if (stopped) return;
    flush()
      .catch((error: unknown) => logger.warn('publishing pending product events failed, will retry', { error }))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, options.pollMs ?? 1000);
      });
  };
  timer = setTimeout(tick, 0);

  return {
    flush,
    async afterWrite() {
      if (stopped) return;
      await flush().catch((error: unknown) => logger.warn('publishing product events failed, the relay will retry', { error }));
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running?.catch(() => 0);
    },
  };
}

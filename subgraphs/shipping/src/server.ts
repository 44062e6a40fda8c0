import { createMemoryBus, startOutboxRelay, type EventBus } from '@shop/events';
import { createPostgres, migrateToLatest, type QueryStats } from '@shop/postgres';
import { createLogger, createSubgraphServer, loadSchema, type Logger } from '@shop/subgraph-kit';
import { createRouterCheckoutContextReader, type CheckoutContextReader } from './checkoutContext.js';
import type { ShippingConfig } from './config.js';
import { createShippingContext, type ShippingContext } from './context.js';
import type { ShippingDatabase } from './db/database.js';
import { migrations } from './db/migrations/index.js';
import { createRouterOrderReader, type OrderReader } from './orderReader.js';
import { createShippingRepository } from './repository.js';
import { createResolvers } from './resolvers.js';
import { createShippingService } from './service.js';

export interface ShippingSubgraph {
  listen(port: number, host?: string): Promise<{ url: string; port: number }>;
  /** Stops the outbox relay, drains in-flight requests, then closes the bus (if its own) and the pool. */
  stop(): Promise<void>;
  /** SQL statements sent by requests (not by the outbox relay), so tests can see how many a request costs. */
  sqlStats: QueryStats;
}

export interface ShippingSubgraphOptions {
  logger?: Logger;
  /** Where addresses and carts come from; by default the router at `config.routerUrl`. */
  reader?: CheckoutContextReader;
  /** Where `shipment.*` events go; an in-process bus (closed on stop) by default. */
  bus?: EventBus;
  /** Where orders are read before shipping; by default the router at `config.routerUrl`. */
  orderReader?: OrderReader;
}

/**
 * Connects to `config.databaseUrl`, migrates it (seeding the default tariff on first run),
 * starts the outbox relay and builds the server; call `listen` to serve. main.ts resolves the URL first (an embedded
 * PostgreSQL in development).
 */
export async function createShippingSubgraph(
  config: ShippingConfig,
  options: ShippingSubgraphOptions = {},
): Promise<ShippingSubgraph> {
  if (!config.databaseUrl) throw new Error('shipping needs databaseUrl (main.ts resolves one with resolveDatabase)');
  const logger = options.logger ?? createLogger({ service: 'shipping', level: config.logLevel });
  const postgres = createPostgres<ShippingDatabase>({ url: config.databaseUrl });
  try {
    const applied = await migrateToLatest(postgres.db, migrations);
    if (applied.length > 0) logger.info('migrated', { applied });
  } catch (error) {
    await postgres.destroy();
    throw error;
  }

  const ownBus = options.bus ? null : createMemoryBus({ onError: (error, event) => logger.warn('event handler failed', { error, eventId: event.id }) });
  const bus = options.bus ?? ownBus!;
  // The relay polls on a pool of its own, so `sqlStats` counts what requests cost and nothing else.
  const relayStore = createPostgres<ShippingDatabase>({ url: config.databaseUrl, maxConnections: 1 });
  const relay = startOutboxRelay({ db: relayStore.db, bus, onError: (error) => logger.error('outbox relay failed', { error }) });
  const repository = createShippingRepository(postgres.db);
  const reader = options.reader ?? createRouterCheckoutContextReader({ url: config.routerUrl });
  const service = createShippingService(
    { defaultWeightGrams: config.defaultWeightGrams, freeShippingThreshold: config.freeShippingThreshold },
    {
      repository,
      orderReader: options.orderReader ?? createRouterOrderReader({ url: config.routerUrl }),
      published: () => relay.wake(),
    },
  );
  const server = createSubgraphServer<ShippingContext>({
    name: 'shipping',
    typeDefs: loadSchema(import.meta.url),
    resolvers: createResolvers(service),
    context: (base) => createShippingContext(base, repository, reader),
    jwtSecret: config.jwtSecret,
    logger,
    readiness: () => postgres.ping(),
  });

  let stopped: Promise<void> | null = null;
  return {
    listen: (port, host) => server.listen(port, host),
    stop() {
      // The relay goes first: whatever commits while requests drain stays in the outbox and
      // is published by the next start.
      stopped ??= (async () => {
        const parts = [
          () => relay.stop(),
          () => server.stop(),
          ownBus ? () => ownBus.close() : null,
          () => relayStore.destroy(),
          () => postgres.destroy(),
        ];
        for (const part of parts) {
          await part?.().catch((error: unknown) => logger.error('stopping failed', { error }));
        }
      })();
      return stopped;
    },
    sqlStats: postgres.stats,
  };
}

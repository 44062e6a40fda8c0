import { createMemoryBus, startOutboxRelay, type EventBus, type OutboxRelay } from '@shop/events';
import { createMemoryStore, type KeyValueStore } from '@shop/kv';
import { createPostgres, migrateToLatest, type QueryStats } from '@shop/postgres';
import { createLogger, createSubgraphServer, loadSchema, publishEvent, type Logger } from '@shop/subgraph-kit';
import type { InventoryConfig } from './config.js';
import { startInventoryConsumers } from './consumers.js';
import { createInventoryContext, type InventoryContext } from './context.js';
import type { InventoryDatabase } from './db/database.js';
import { migrations } from './db/migrations/index.js';
import { createStockRepository, type StockRepository } from './repository.js';
import { createReservationRepository } from './reservationRepository.js';
import { createReservationService } from './reservationService.js';
import { createResolvers } from './resolvers.js';
import { createInventoryService } from './service.js';
import { publishingStockChanges, STOCK_CHANNEL, stockChangedField, type StockChangedEvent } from './stockEvents.js';
import { startReservationSweeper } from './sweeper.js';

export interface InventorySubgraph {
  listen(port: number, host?: string): Promise<{ url: string; port: number }>;
  /** Drains in-flight requests, then closes the database pool. */
  stop(): Promise<void>;
  /** SQL statements sent through the request pool, so tests can see how many a request costs. */
  sqlStats: QueryStats;
  /** Expires every reservation that is due now, without waiting for the sweeper's next turn. */
  sweepReservations(): Promise<number>;
}

export interface InventorySubgraphOptions {
  logger?: Logger;
  /** Carries stock-change events to subscribers on every replica (Redis); default: in-process. */
  kv?: KeyValueStore;
  /** Where the outbox relay publishes and the consumers read (Redis Streams); default: in-process. */
  bus?: EventBus;
}

/**
 * Connects to `config.databaseUrl`, migrates it to the latest schema and builds the server;
 * call `listen` to serve. main.ts resolves the URL first (an embedded PostgreSQL in dev).
 * `kv` carries stock-change events between replicas (Redis); default: an in-process store.
 * Also runs the outbox relay, the `order.status_changed` consumer and the reservation sweeper,
 * on a small pool of their own so that background work never queues behind requests (and
 * `sqlStats` counts requests only); `stop()` stops them.
 */
export async function createInventorySubgraph(
  config: InventoryConfig,
  options: InventorySubgraphOptions = {},
): Promise<InventorySubgraph> {
  if (!config.databaseUrl) throw new Error('inventory needs databaseUrl (main.ts resolves one with resolveDatabase)');
  if (!(config.reservationTtlSeconds > 0) || !(config.reservationSweepMs > 0)) {
    throw new Error('inventory needs reservationTtlSeconds and reservationSweepMs (buildInventoryConfig sets them)');
  }
  const logger = options.logger ?? createLogger({ service: 'inventory', level: config.logLevel });
  const postgres = createPostgres<InventoryDatabase>({ url: config.databaseUrl });
  try {
    const applied = await migrateToLatest(postgres.db, migrations);
    if (applied.length > 0) logger.info('migrated', { applied });
  } catch (error) {
    await postgres.destroy();
    throw error;
  }

  const background = createPostgres<InventoryDatabase>({ url: config.databaseUrl, maxConnections: 3 });
  const kv = options.kv ?? createMemoryStore();
  const bus = options.bus ?? createMemoryBus({ onError: (error, event) => logger.error('event handler failed', { error, type: event.type }) });
  const relay: OutboxRelay = startOutboxRelay({
    db: background.db,
    bus,
    onError: (error) => logger.error('outbox relay failed', { error }),
  });
  // After a commit that moved stock: the outbox events go out now, subscribers hear of it.
  const onStockChanged = (productIds: readonly string[]) => {
    if (productIds.length === 0) return;
    relay.wake();
    for (const productId of productIds) {
      void publishEvent(kv, STOCK_CHANNEL, { productId } satisfies StockChangedEvent, logger);
    }
  };

  const repository = publishingStockChanges(wakingRelay(createStockRepository(postgres.db), relay), kv, logger);
  const reservations = createReservationService({
    repository: createReservationRepository(postgres.db),
    defaultTtlSeconds: config.reservationTtlSeconds,
    onStockChanged,
  });
  const backgroundReservations = createReservationRepository(background.db);
  const consumers = await startInventoryConsumers({ bus, repository: backgroundReservations, logger, onStockChanged });
  const sweeper = startReservationSweeper({
    repository: backgroundReservations,
    intervalMs: config.reservationSweepMs,
    logger,
    onStockChanged,
  });

  const resolvers = createResolvers(createInventoryService(repository), reservations);
  const server = createSubgraphServer<InventoryContext>({
    name: 'inventory',
    typeDefs: loadSchema(import.meta.url),
    resolvers: { ...resolvers, Subscription: { stockChanged: stockChangedField(kv) } },
    context: (base) => createInventoryContext(base, repository),
    jwtSecret: config.jwtSecret,
    logger,
    readiness: () => postgres.ping(),
  });

  let stopped: Promise<void> | null = null;
  return {
    listen: (port, host) => server.listen(port, host),
    stop() {
      stopped ??= server
        .stop()
        .finally(() => consumers.stop())
        .finally(() => sweeper.stop())
        .finally(() => relay.stop())
        .finally(() => (options.bus ? undefined : bus.close()))
        .finally(() => Promise.all([postgres.destroy(), background.destroy()]))
        .finally(() => (options.kv ? undefined : kv.close()));
      return stopped;
    },
    sqlStats: postgres.stats,
    sweepReservations: () => sweeper.sweep(),
  };
}

/** Wakes the relay after each committed admin write, so its `stock.changed` goes out at once. */
function wakingRelay(repository: StockRepository, relay: OutboxRelay): StockRepository {
  return {
    ...repository,
    async setOnHand(writes, actorId) {
      const result = await repository.setOnHand(writes, actorId);
      if (result.ok) relay.wake();
      return result;
    },
  };
}

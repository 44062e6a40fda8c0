import { createMemoryBus, startOutboxRelay, type EventBus, type OutboxRelay } from '@shop/events';
import { createMemoryStore, type KeyValueStore } from '@shop/kv';
import { createPostgres, migrateToLatest, type QueryStats } from '@shop/postgres';
import { createLogger, createSubgraphServer, loadSchema, type Logger } from '@shop/subgraph-kit';
import { createProductsCatalog, type Catalog } from './catalog.js';
import type { OrdersConfig } from './config.js';
import type { OrdersContext } from './context.js';
import { migrations } from './db/migrations/index.js';
import type { OrdersDatabase } from './db/schema.js';
import { createInventoryClient, type Inventory } from './inventory.js';
import { createOrdersLoaders } from './loaders.js';
import { createOrdersRepository, type OrdersRepository } from './repository.js';
import { resolvers } from './resolvers.js';
import { startSagaConsumers } from './saga.js';
import { createOrdersService } from './service.js';
import { orderStatusChangedField, publishingStatusChanges } from './statusEvents.js';
import { createRouterStorefront, type Storefront } from './storefront.js';

export interface OrdersSubgraph {
  listen(port: number, host?: string): Promise<{ url: string; port: number }>;
  /** Stops the HTTP server (draining requests) and closes the database pool. */
  stop(): Promise<void>;
  /** SQL statements sent by this subgraph's requests, for N+1 tests and benchmarks. */
  sqlStats: QueryStats;
}

export interface OrdersSubgraphOptions {
  logger?: Logger;
  /** Carries status-change events to subscribers on every replica (Redis); default: in-process. */
  kv?: KeyValueStore;
  /** Where the outbox relay publishes and the saga consumers read (Redis Streams); default: in-process. */
  bus?: EventBus;
  /** Replaces the products subgraph (prices) in tests; default: `config.productsUrl`. */
  catalog?: Catalog;
  /** Replaces the router (cart, address, shipping rate) in tests; default: `config.routerUrl`. */
  storefront?: Storefront;
  /** Replaces inventory (reservations) in tests; default: `config.inventoryUrl`. */
  inventory?: Inventory;
}

/**
 * Migrates the database and wires the subgraph. `config.databaseUrl` must be set (main.ts
 * resolves an embedded one in development). Also runs the outbox relay and the saga consumers,
 * on a small pool of their own so that background work never queues behind requests (and
 * `sqlStats` counts requests only); `stop()` stops them.
 */
export async function createOrdersSubgraph(
  config: OrdersConfig,
  options: OrdersSubgraphOptions = {},
): Promise<OrdersSubgraph> {
  if (!config.databaseUrl) throw new Error('createOrdersSubgraph needs config.databaseUrl (see resolveDatabase)');
  if ((!config.routerUrl && !options.storefront) || (!config.inventoryUrl && !options.inventory)) {
    throw new Error('createOrdersSubgraph needs config.routerUrl and config.inventoryUrl (buildOrdersConfig sets them)');
  }
  const logger = options.logger ?? createLogger({ service: 'orders', level: config.logLevel });
  const postgres = createPostgres<OrdersDatabase>({ url: config.databaseUrl });
  try {
    await migrateToLatest(postgres.db, migrations);
  } catch (error) {
    await postgres.destroy();
    throw error;
  }
  const background = createPostgres<OrdersDatabase>({ url: config.databaseUrl, maxConnections: 3 });
  const kv = options.kv ?? createMemoryStore();
  const bus = options.bus ?? createMemoryBus({ onError: (error, event) => logger.error('event handler failed', { error, type: event.type }) });
  const relay = startOutboxRelay({ db: background.db, bus, onError: (error) => logger.error('outbox relay failed', { error }) });
  const repository = publishingStatusChanges(wakingRelay(createOrdersRepository(postgres.db), relay), kv, logger);
  const consumers = await startSagaConsumers({
    bus,
    repository: publishingStatusChanges(wakingRelay(createOrdersRepository(background.db), relay), kv, logger),
    logger,
  });
  const service = createOrdersService({
    repository,
    catalog: options.catalog ?? createProductsCatalog({ url: config.productsUrl }),
    storefront: options.storefront ?? createRouterStorefront({ url: config.routerUrl }),
    inventory: options.inventory ?? createInventoryClient({ url: config.inventoryUrl }),
  });
  const server = createSubgraphServer<OrdersContext>({
    name: 'orders',
    typeDefs: loadSchema(import.meta.url),
    resolvers: { ...resolvers, Subscription: { orderStatusChanged: orderStatusChangedField(kv) } },
    context: (base) => ({
      ...base,
      loaders: createOrdersLoaders(repository),
      orders: service,
    }),
    jwtSecret: config.jwtSecret,
    logger,
    readiness: () => postgres.ping(),
  });
  return {
    listen: (port, host) => server.listen(port, host),
    async stop() {
      await server.stop();
      await consumers.stop();
      await relay.stop();
      if (!options.bus) await bus.close();
      await Promise.all([postgres.destroy(), background.destroy()]);
      if (!options.kv) await kv.close();
    },
    sqlStats: postgres.stats,
  };
}

/** Wakes the relay after every committed write that enqueued events, so they go out at once. */
function wakingRelay(repository: OrdersRepository, relay: OutboxRelay): OrdersRepository {
  return {
    ...repository,
    async create(order, actor) {
      const created = await repository.create(order, actor);
      if (created) relay.wake();
      return created;
    },
    async transition(orderId, from, to, actor, reason) {
      const changed = await repository.transition(orderId, from, to, actor, reason);
      if (changed) relay.wake();
      return changed;
    },
    async applyEvent(consumer, event, orderId, decide) {
      const outcome = await repository.applyEvent(consumer, event, orderId, decide);
      if (outcome.changed) relay.wake();
      return outcome;
    },
  };
}

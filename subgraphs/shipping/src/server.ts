import { createPostgres, migrateToLatest, type QueryStats } from '@shop/postgres';
import { createLogger, createSubgraphServer, loadSchema, type Logger } from '@shop/subgraph-kit';
import { createRouterCheckoutContextReader, type CheckoutContextReader } from './checkoutContext.js';
import type { ShippingConfig } from './config.js';
import { createShippingContext, type ShippingContext } from './context.js';
import type { ShippingDatabase } from './db/database.js';
import { migrations } from './db/migrations/index.js';
import { createShippingRepository } from './repository.js';
import { createResolvers } from './resolvers.js';
import { createShippingService } from './service.js';

export interface ShippingSubgraph {
  listen(port: number, host?: string): Promise<{ url: string; port: number }>;
  /** Drains in-flight requests, then closes the database pool. */
  stop(): Promise<void>;
  /** SQL statements sent through the pool, so tests can see how many a request costs. */
  sqlStats: QueryStats;
}

export interface ShippingSubgraphOptions {
  logger?: Logger;
  /** Where addresses and carts come from; by default the router at `config.routerUrl`. */
  reader?: CheckoutContextReader;
}

/**
 * Connects to `config.databaseUrl`, migrates it (seeding the default tariff on first run) and
 * builds the server; call `listen` to serve. main.ts resolves the URL first (an embedded
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

  const repository = createShippingRepository(postgres.db);
  const reader = options.reader ?? createRouterCheckoutContextReader({ url: config.routerUrl });
  const service = createShippingService({
    defaultWeightGrams: config.defaultWeightGrams,
    freeShippingThreshold: config.freeShippingThreshold,
  });
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
      stopped ??= server.stop().finally(() => postgres.destroy());
      return stopped;
    },
    sqlStats: postgres.stats,
  };
}

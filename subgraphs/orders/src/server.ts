import { createPostgres, migrateToLatest, type QueryStats } from '@shop/postgres';
import { createLogger, createSubgraphServer, loadSchema, type Logger } from '@shop/subgraph-kit';
import { createProductsCatalog, type Catalog } from './catalog.js';
import type { OrdersConfig } from './config.js';
import type { OrdersContext } from './context.js';
import { migrations } from './db/migrations/index.js';
import type { OrdersDatabase } from './db/schema.js';
import { createOrdersLoaders } from './loaders.js';
import { createOrdersRepository } from './repository.js';
import { resolvers } from './resolvers.js';
import { createOrdersService } from './service.js';

export interface OrdersSubgraph {
  listen(port: number, host?: string): Promise<{ url: string; port: number }>;
  /** Stops the HTTP server (draining requests) and closes the database pool. */
  stop(): Promise<void>;
  /** SQL statements sent by this subgraph, for N+1 tests and benchmarks. */
  sqlStats: QueryStats;
}

/**
 * Migrates the database and wires the subgraph. `config.databaseUrl` must be set (main.ts
 * resolves an embedded one in development). `catalog` replaces the products subgraph in tests.
 */
export async function createOrdersSubgraph(
  config: OrdersConfig,
  options: { logger?: Logger; catalog?: Catalog } = {},
): Promise<OrdersSubgraph> {
  if (!config.databaseUrl) throw new Error('createOrdersSubgraph needs config.databaseUrl (see resolveDatabase)');
  const logger = options.logger ?? createLogger({ service: 'orders', level: config.logLevel });
  const postgres = createPostgres<OrdersDatabase>({ url: config.databaseUrl });
  try {
    await migrateToLatest(postgres.db, migrations);
  } catch (error) {
    await postgres.destroy();
    throw error;
  }
  const repository = createOrdersRepository(postgres.db);
  const service = createOrdersService({
    repository,
    catalog: options.catalog ?? createProductsCatalog({ url: config.productsUrl }),
  });
  const server = createSubgraphServer<OrdersContext>({
    name: 'orders',
    typeDefs: loadSchema(import.meta.url),
    resolvers,
    context: (base) => ({ ...base, loaders: createOrdersLoaders(repository), orders: service }),
    jwtSecret: config.jwtSecret,
    logger,
    readiness: () => postgres.ping(),
  });
  return {
    listen: (port, host) => server.listen(port, host),
    async stop() {
      await server.stop();
      await postgres.destroy();
    },
    sqlStats: postgres.stats,
  };
}

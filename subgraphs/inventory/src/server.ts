import { createPostgres, migrateToLatest, type QueryStats } from '@shop/postgres';
import { createLogger, createSubgraphServer, loadSchema, type Logger } from '@shop/subgraph-kit';
import type { InventoryConfig } from './config.js';
import { createInventoryContext, type InventoryContext } from './context.js';
import type { InventoryDatabase } from './db/database.js';
import { migrations } from './db/migrations/index.js';
import { createStockRepository } from './repository.js';
import { createResolvers } from './resolvers.js';
import { createInventoryService } from './service.js';

export interface InventorySubgraph {
  listen(port: number, host?: string): Promise<{ url: string; port: number }>;
  /** Drains in-flight requests, then closes the database pool. */
  stop(): Promise<void>;
  /** SQL statements sent through the pool, so tests can see how many a request costs. */
  sqlStats: QueryStats;
}

/**
 * Connects to `config.databaseUrl`, migrates it to the latest schema and builds the server;
 * call `listen` to serve. main.ts resolves the URL first (an embedded PostgreSQL in dev).
 */
export async function createInventorySubgraph(
  config: InventoryConfig,
  options: { logger?: Logger } = {},
): Promise<InventorySubgraph> {
  if (!config.databaseUrl) throw new Error('inventory needs databaseUrl (main.ts resolves one with resolveDatabase)');
  const logger = options.logger ?? createLogger({ service: 'inventory', level: config.logLevel });
  const postgres = createPostgres<InventoryDatabase>({ url: config.databaseUrl });
  try {
    const applied = await migrateToLatest(postgres.db, migrations);
    if (applied.length > 0) logger.info('migrated', { applied });
  } catch (error) {
    await postgres.destroy();
    throw error;
  }

  const repository = createStockRepository(postgres.db);
  const server = createSubgraphServer<InventoryContext>({
    name: 'inventory',
    typeDefs: loadSchema(import.meta.url),
    resolvers: createResolvers(createInventoryService(repository)),
    context: (base) => createInventoryContext(base, repository),
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

import { migrateToLatest, createPostgres, type QueryStats } from '@shop/postgres';
import { createLogger, createSubgraphServer, loadSchema, type Logger } from '@shop/subgraph-kit';
import type { UsersConfig } from './config.js';
import { createContext, type UsersContext } from './context.js';
import type { UsersDatabase } from './db/database.js';
import { migrations } from './db/migrations/index.js';
import { createUsersRepository } from './repository.js';
import { createResolvers } from './resolvers.js';
import { createUsersService } from './service.js';

export interface UsersSubgraph {
  listen(port: number, host?: string): Promise<{ url: string; port: number }>;
  /** Stops the HTTP server (draining in-flight requests), then closes the database pool. */
  stop(): Promise<void>;
  /** SQL statements sent through the pool, for tests that count round trips. */
  sqlStats: QueryStats;
}

/**
 * Migrates the database, makes sure the configured ADMIN account exists, and returns the
 * subgraph ready to listen. Nothing is left open when it throws.
 */
export async function createUsersSubgraph(config: UsersConfig, options: { logger?: Logger } = {}): Promise<UsersSubgraph> {
  const logger = options.logger ?? createLogger({ service: 'users', level: config.logLevel });
  const postgres = createPostgres<UsersDatabase>({ url: config.databaseUrl });
  try {
    const applied = await migrateToLatest(postgres.db, migrations);
    if (applied.length > 0) logger.info('migrations applied', { migrations: applied });
    const repository = createUsersRepository(postgres.db);
    const service = await createUsersService({ repository, jwtSecret: config.jwtSecret });
    if (config.admin) await service.ensureAdmin(config.admin, logger);
    const server = createSubgraphServer<UsersContext>({
      name: 'users',
      typeDefs: loadSchema(import.meta.url),
      resolvers: createResolvers(service),
      context: (base) => createContext(base, repository),
      jwtSecret: config.jwtSecret,
      logger,
      readiness: () => postgres.ping(),
    });
    return {
      listen: (port, host) => server.listen(port, host),
      async stop() {
        try {
          await server.stop();
        } finally {
          await postgres.destroy();
        }
      },
      sqlStats: postgres.stats,
    };
  } catch (error) {
    await postgres.destroy();
    throw error;
  }
}

import { createKeyValueStore, type KeyValueStore } from '@shop/kv';
import { migrateToLatest, createPostgres, type QueryStats } from '@shop/postgres';
import { createLogger, createSubgraphServer, loadSchema, type Logger } from '@shop/subgraph-kit';
import type { UsersConfig } from './config.js';
import { createContext, type UsersContext } from './context.js';
import type { UsersDatabase } from './db/database.js';
import { migrations } from './db/migrations/index.js';
import { DEFAULT_LOGIN_RATE_LIMIT, createLoginThrottle } from './loginThrottle.js';
import { createUsersRepository } from './repository.js';
import { createResolvers } from './resolvers.js';
import { createUsersService } from './service.js';

export interface UsersSubgraph {
  listen(port: number, host?: string): Promise<{ url: string; port: number }>;
  /** Stops the HTTP server (draining in-flight requests), then closes the database pool and the key-value store it opened. */
  stop(): Promise<void>;
  /** SQL statements sent through the pool, for tests that count round trips. */
  sqlStats: QueryStats;
}

export interface UsersSubgraphOptions {
  logger?: Logger;
  /**
   * The store for sign-in rate limits. When given, the caller owns it (it is not closed on
   * stop); otherwise Redis at `config.redisUrl`, or an in-process store without one.
   */
  kv?: KeyValueStore;
}

/**
 * Migrates the database, makes sure the configured ADMIN account exists, and returns the
 * subgraph ready to listen. Nothing is left open when it throws.
 */
export async function createUsersSubgraph(config: UsersConfig, options: UsersSubgraphOptions = {}): Promise<UsersSubgraph> {
  const logger = options.logger ?? createLogger({ service: 'users', level: config.logLevel });
  const ownsKv = options.kv === undefined;
  const kv = options.kv ?? createKeyValueStore({ redisUrl: config.redisUrl, keyPrefix: 'users:' });
  const postgres = createPostgres<UsersDatabase>({ url: config.databaseUrl });
  const closeStores = async () => {
    await Promise.all([postgres.destroy(), ownsKv ? kv.close() : undefined]);
  };
  try {
    const applied = await migrateToLatest(postgres.db, migrations);
    if (applied.length > 0) logger.info('migrations applied', { migrations: applied });
    if (kv.kind === 'memory') logger.info('sign-in rate limits are counted in this process only (set REDIS_URL to share them)');
    const repository = createUsersRepository(postgres.db);
    const throttle = createLoginThrottle(kv, config.loginRateLimit ?? DEFAULT_LOGIN_RATE_LIMIT);
    const service = await createUsersService({ repository, jwtSecret: config.jwtSecret, throttle });
    if (config.admin) await service.ensureAdmin(config.admin, logger);
    const server = createSubgraphServer<UsersContext>({
      name: 'users',
      typeDefs: loadSchema(import.meta.url),
      resolvers: createResolvers(service),
      context: (base) => createContext(base, repository),
      jwtSecret: config.jwtSecret,
      logger,
      // Sign-in needs both: without the store every login would fail.
      readiness: async () => {
        await Promise.all([postgres.ping(), kv.ping()]);
      },
    });
    return {
      listen: (port, host) => server.listen(port, host),
      async stop() {
        try {
          await server.stop();
        } finally {
          await closeStores();
        }
      },
      sqlStats: postgres.stats,
    };
  } catch (error) {
    await closeStores();
    throw error;
  }
}

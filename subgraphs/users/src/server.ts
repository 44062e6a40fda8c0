import { createPostgresSubgraph, createRateLimits, loadSchema, type PostgresSubgraph, type SubgraphDefinition, type SubgraphDeps } from '@shop/subgraph-kit';
import { buildUsersConfig, type UsersConfig } from './config.js';
import { createContext, type UsersContext } from './context.js';
import type { UsersDatabase } from './db/database.js';
import { migrations } from './db/migrations/index.js';
import { createLoginThrottle } from './loginThrottle.js';
import { createUsersRepository } from './repository.js';
import { createResolvers } from './resolvers.js';
import { createUsersService } from './service.js';

export type UsersSubgraph = PostgresSubgraph;

/**
 * Accounts and sign-in. Makes sure the configured ADMIN account exists; sign-in rate limits are
 * counted in Redis at `config.redisUrl` (shared by every replica), in process without it.
 */
export function createUsersSubgraph(config: UsersConfig, deps: SubgraphDeps = {}): Promise<UsersSubgraph> {
  return createPostgresSubgraph<UsersDatabase, UsersContext>({
    name: 'users',
    typeDefs: loadSchema(import.meta.url),
    config,
    deps,
    migrations,
    async wire({ db, logger, resource }) {
      const limits = createRateLimits({ redisUrl: config.redisUrl, keyPrefix: 'users:', logger });
      resource(() => limits.close());
      const repository = createUsersRepository(db);
      const service = await createUsersService({
        repository,
        jwtSecret: config.jwtSecret,
        throttle: createLoginThrottle(limits, config.loginRateLimit),
      });
      if (config.admin) await service.ensureAdmin(config.admin, logger);
      return {
        resolvers: createResolvers(service),
        context: (base) => createContext(base, repository),
      };
    },
  });
}

export const users: SubgraphDefinition<UsersConfig, UsersSubgraph> = {
  name: 'users',
  config: buildUsersConfig,
  postgres: true,
  create: createUsersSubgraph,
};

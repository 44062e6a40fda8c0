import { PRIVACY_EVENTS } from '@shop/contracts';
import {
  createPostgresSubgraph,
  createRateLimits,
  keySetOf,
  privateKeyRing,
  loadSchema,
  sendJson,
  type PostgresSubgraph,
  type SubgraphDefinition,
  type SubgraphDeps,
} from '@shop/subgraph-kit';
import { createProductsCatalog, type Catalog } from './catalog.js';
import { buildUsersConfig, DEV_KEY_PATH, type UsersConfig } from './config.js';
import { createContext, type UsersContext } from './context.js';
import type { UsersDatabase } from './db/schema.js';
import { migrations } from './db/migrations/index.js';
import { createLoginThrottle } from './loginThrottle.js';
import { createPrivacyService, PRIVACY_CONSUMER } from './privacy.js';
import { createPrivacyRepository } from './privacyRepository.js';
import { createUsersRepository } from './repository.js';
import { createResolvers } from './resolvers.js';
import { createUsersService, READ_CONTACT_SCOPE } from './service.js';

export type UsersSubgraph = PostgresSubgraph;

/** The services besides the router that call users, and what users lets each of them do. */
export const SERVICE_CALLERS = {
  // Addresses a message: email, name and preferences of any user, with no user signed in.
  notifications: [READ_CONTACT_SCOPE],
  // Asks for the signed-in shopper's currency, with the shopper's own token: no scope.
  cart: [],
} as const;
import { createWishlistService, WISHLIST_CONSUMER } from './wishlist.js';
import { createWishlistRepository } from './wishlistRepository.js';

export interface UsersSubgraphOptions extends SubgraphDeps {
  /** Replaces the products subgraph at `config.productsUrl` as the wishlist's catalog. */
  catalog?: Catalog;
}

/**
 * Accounts and sign-in. Makes sure the configured ADMIN account exists; sign-in rate limits are
 * counted in Redis at `config.redisUrl` (shared by every replica), in process without it.
 */
export function createUsersSubgraph(config: UsersConfig, options: UsersSubgraphOptions = {}): Promise<UsersSubgraph> {
  const { catalog, ...deps } = options;
  return createPostgresSubgraph<UsersDatabase, UsersContext>({
    name: 'users',
    typeDefs: loadSchema(import.meta.url),
    config,
    deps,
    migrations,
    callers: SERVICE_CALLERS,
    async wire({ db, background, bus, logger, resource, worker, wakeRelay, serviceCredentials }) {
      const keys = await privateKeyRing(config.jwtPrivateKey, DEV_KEY_PATH, (message) => logger.warn(`JWT_PRIVATE_KEY: ${message}`)).catch(
        (error: Error) => {
          throw new Error(`JWT_PRIVATE_KEY ${error.message}`);
        },
      );
      const keySet = keySetOf(keys.published);
      const limits = createRateLimits({ redisUrl: config.redisUrl, keyPrefix: 'users:', logger });
      resource(() => limits.close());
      const repository = createUsersRepository(db);
      const service = await createUsersService({
        repository,
        signingKey: keys.signing,
        throttle: createLoginThrottle(limits, config.loginRateLimit),
      });
      if (config.admin) await service.ensureAdmin(config.admin, logger);
      const wishlistRepository = createWishlistRepository(db);
      const wishlistCatalog = catalog ?? createProductsCatalog({ url: config.productsUrl, credentials: await serviceCredentials() });
      const wishlist = createWishlistService({ repository: wishlistRepository, catalog: wishlistCatalog, alerted: wakeRelay, logger });
      // Consumers write on the background pool, so a burst of stock events never queues requests.
      const alerts = createWishlistService({ repository: createWishlistRepository(background), catalog: wishlistCatalog, alerted: wakeRelay, logger });
      worker(await bus.subscribe({ group: WISHLIST_CONSUMER, types: ['stock.changed'], handler: (event) => alerts.handleStockChanged(event) }));
      const privacyFor = (pool: typeof db) =>
        createPrivacyService({ repository: createPrivacyRepository(pool), confirmPassword: service.confirmPassword, published: wakeRelay, logger });
      const privacy = privacyFor(db);
      const answers = privacyFor(background);
      worker(
        await bus.subscribe({
          group: PRIVACY_CONSUMER,
          types: [PRIVACY_EVENTS.exportPart, PRIVACY_EVENTS.userErased],
          handler: (event) => answers.handleAnswer(event),
        }),
      );
      return {
        resolvers: createResolvers(service, wishlist, privacy),
        context: (base) => createContext(base, repository, wishlistRepository),
        // Its own tokens are checked against its own keys: no fetch of its own JWK Set.
        accessTokens: keySet,
        routes: {
          // The public keys every verifier fetches (JWKS_URL); they change only on a key rotation.
          '/.well-known/jwks.json': async (_req, res) => sendJson(res, 200, keySet, { 'cache-control': 'public, max-age=300' }),
        },
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

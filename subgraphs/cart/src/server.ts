import { createKeyValueStore, type KeyValueStore } from '@shop/kv';
import { createLogger, createSubgraphServer, loadSchema, type Logger } from '@shop/subgraph-kit';
import { createProductsCatalog, type Catalog } from './catalog.js';
import type { CartConfig } from './config.js';
import type { CartContext } from './context.js';
import { createCartLoaders } from './loaders.js';
import { createCartRepository } from './repository.js';
import { resolvers } from './resolvers.js';
import { createCartService } from './service.js';

export interface CartSubgraphOptions {
  logger?: Logger;
  /** Use this store instead of the one `config.redisUrl` names; the caller keeps ownership and closes it. */
  kv?: KeyValueStore;
  /** Replaces the products subgraph as the source of prices (tests). */
  catalog?: Catalog;
}

export interface CartSubgraph {
  listen(port: number, host?: string): Promise<{ url: string; port: number }>;
  /** Drains HTTP, then closes the store this subgraph opened. */
  stop(): Promise<void>;
}

/**
 * Wires the cart subgraph. Carts live in Redis when `config.redisUrl` is set, in process
 * otherwise (development only: lost on restart, not shared between replicas).
 */
export async function createCartSubgraph(config: CartConfig, options: CartSubgraphOptions = {}): Promise<CartSubgraph> {
  const logger = options.logger ?? createLogger({ service: 'cart', level: config.logLevel });
  const owned = options.kv === undefined;
  const kv = options.kv ?? createKeyValueStore({ redisUrl: config.redisUrl });
  if (owned && kv.kind === 'memory') logger.warn('REDIS_URL is not set: carts are kept in process and lost on restart');

  const repository = createCartRepository(kv, { ttlSeconds: config.cartTtlSeconds });
  const catalog = options.catalog ?? createProductsCatalog({ url: config.productsUrl });
  const service = createCartService({ repository });
  const server = createSubgraphServer<CartContext>({
    name: 'cart',
    typeDefs: loadSchema(import.meta.url),
    resolvers,
    context: (base) => ({ ...base, loaders: createCartLoaders(repository, catalog), carts: service }),
    jwtSecret: config.jwtSecret,
    logger,
    readiness: () => repository.ping(),
  });

  return {
    listen: (port, host) => server.listen(port, host),
    async stop() {
      await server.stop();
      if (owned) await kv.close();
    },
  };
}

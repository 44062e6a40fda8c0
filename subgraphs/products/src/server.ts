import { createMemoryBus, type EventBus } from '@shop/events';
import { createMemoryStore, type KeyValueStore } from '@shop/kv';
import { createLogger, createSubgraphServer, loadSchema, type Logger } from '@shop/subgraph-kit';
import type { ProductsConfig } from './config.js';
import type { ProductsContext } from './context.js';
import { createLoaders } from './loaders.js';
import { startPendingEventRelay, type PendingEventRelay } from './relay.js';
import type { ProductRepository } from './repository.js';
import { withProductCache, type CacheStats } from './repository/cached.js';
import { countRepositoryCalls, type RepositoryStats } from './repository/counting.js';
import { createEmbeddedProductRepository } from './repository/embedded.js';
import { createMongoProductRepository, redactMongoUrl } from './repository/mongo.js';
import { createResolvers } from './resolvers.js';
import { loadDemoCatalog } from './seed/loadDemoCatalog.js';
import { createProductService } from './service.js';

export interface ProductsSubgraphOptions {
  logger?: Logger;
  /** Use this store instead of the one `config` names; the caller keeps ownership and closes it. */
  repository?: ProductRepository;
  /** The product cache (Redis in production); default: an in-process store, closed on stop. */
  kv?: KeyValueStore;
  /** Where product events go (Redis Streams in production); default: an in-process bus, closed on stop. */
  bus?: EventBus;
  /** How often the relay looks for events a failed publish left behind (default 1 s). */
  relayPollMs?: number;
}

export interface ProductsSubgraph {
  listen(port: number, host?: string): Promise<{ url: string; port: number }>;
  /** Drains HTTP, stops the event relay, then closes what this subgraph opened. */
  stop(): Promise<void>;
  /** Repository calls made by requests (cache hits included), so tests can prove batching. */
  repositoryStats: RepositoryStats;
  /** Calls that reached the document store (cache misses and writes; the relay's polls excluded). */
  storeStats: RepositoryStats;
  /** Product cache hits and misses. */
  cacheStats: CacheStats;
  /** The outbox relay: `flush()` publishes whatever is pending now. */
  relay: Pick<PendingEventRelay, 'flush'>;
}

/**
 * Layers, inside out: the store (MongoDB or embedded), a call counter (`storeStats`), the
 * product cache, a second call counter (`repositoryStats`), then loaders and the service. The
 * relay reads the store directly, so its polls neither touch the cache nor count as requests.
 */
export async function createProductsSubgraph(
  config: ProductsConfig,
  options: ProductsSubgraphOptions = {},
): Promise<ProductsSubgraph> {
  const logger = options.logger ?? createLogger({ service: 'products', level: config.logLevel });
  const ownsStore = options.repository === undefined;
  const store = options.repository ?? (await openStore(config, logger));
  const kv = options.kv ?? createMemoryStore();
  const bus = options.bus ?? createMemoryBus({ onError: (error, event) => logger.warn('event handler failed', { error, type: event.type }) });
  const closeOwned = async () => {
    if (!options.kv) await kv.close().catch(() => undefined);
    if (!options.bus) await bus.close().catch(() => undefined);
    if (ownsStore) await store.close().catch(() => undefined);
  };

  const counted = countRepositoryCalls(store);
  const cache = withProductCache(counted.repository, kv, { ttlSeconds: config.productCacheTtlSeconds, logger });
  const { repository, stats } = countRepositoryCalls(cache.repository);
  try {
    if (config.seedDemo) await loadDemoCatalog(repository, logger);
  } catch (error) {
    await closeOwned();
    throw error;
  }

  const relay = startPendingEventRelay({ repository: store, bus, logger, pollMs: options.relayPollMs });
  const service = createProductService({ repository, relay });
  const server = createSubgraphServer<ProductsContext>({
    name: 'products',
    typeDefs: loadSchema(import.meta.url),
    resolvers: createResolvers(service),
    context: (base) => ({ ...base, loaders: createLoaders(repository), now: new Date() }),
    jwtSecret: config.jwtSecret,
    logger,
    readiness: () => store.ping(),
  });

  let stopped: Promise<void> | null = null;
  return {
    listen: (port, host) => server.listen(port, host),
    stop() {
      stopped ??= (async () => {
        await server.stop();
        await relay.stop();
        await closeOwned();
      })();
      return stopped;
    },
    repositoryStats: stats,
    storeStats: counted.stats,
    cacheStats: cache.stats,
    relay: { flush: () => relay.flush() },
  };
}

async function openStore(config: ProductsConfig, logger: Logger): Promise<ProductRepository> {
  if (config.mongoUrl === undefined) {
    logger.warn('MONGO_URL is not set: using the embedded in-process store, which starts empty on every start');
    return createEmbeddedProductRepository();
  }
  const repository = await createMongoProductRepository({ url: config.mongoUrl, dbName: config.mongoDb });
  logger.info('connected to MongoDB', { url: redactMongoUrl(config.mongoUrl), db: config.mongoDb });
  return repository;
}

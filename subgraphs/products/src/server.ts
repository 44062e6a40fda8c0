import { join } from 'node:path';
import { redactUrl } from '@shop/config';
import { createSubgraph, loadSchema, startPrivacyParticipant, type Logger, type RunnableSubgraph, type SubgraphDefinition, type SubgraphDeps } from '@shop/subgraph-kit';
import { buildProductsConfig, type ProductsConfig } from './config.js';
import type { ProductsContext } from './context.js';
import { createLoaders } from './loaders.js';
import { createProductsPrivacy } from './privacy.js';
import { startPendingEventRelay, type PendingEventRelay } from './relay.js';
import type { ProductRepository } from './repository.js';
import { withProductCache, type CacheStats } from './repository/cached.js';
import { countRepositoryCalls, type RepositoryStats } from './repository/counting.js';
import { createEmbeddedProductRepository } from './repository/embedded.js';
import { createMongoProductRepository } from './repository/mongo.js';
import { createLocalImageStore } from './images/local.js';
import { createImageService } from './images/service.js';
import type { ImageStore } from './images/store.js';
import { createResolvers } from './resolvers.js';
import { loadDemoCatalog } from './seed/loadDemoCatalog.js';
import { createCurrencyService } from './currencies.js';
import { createProductService } from './service.js';

export interface ProductsSubgraphOptions extends SubgraphDeps {
  /** Use this store instead of the one `config` names; the caller keeps ownership and closes it. */
  repository?: ProductRepository;
  /** How often the relay looks for events a failed publish left behind (default 1 s). */
  relayPollMs?: number;
  /** The time upload URLs are signed and checked at; tests move it past an expiry. */
  clock?: () => Date;
}

export interface ProductsSubgraph extends RunnableSubgraph {
  /** Repository calls made by requests (cache hits included), so tests can prove batching. */
  repositoryStats: RepositoryStats;
  /** Calls that reached the document store (cache misses and writes; the relay's polls excluded). */
  storeStats: RepositoryStats;
  /** Product cache hits and misses (the cache lives in `kv`). */
  cacheStats: CacheStats;
  /** The outbox relay: `flush()` publishes whatever is pending now. */
  relay: Pick<PendingEventRelay, 'flush'>;
}

/**
 * The services besides the router that read the catalog directly (prices for carts and orders,
 * names for wishlists, every product for a search rebuild). They read what any shopper may, so
 * no scope is granted; being named here is what lets them in.
 */
export const SERVICE_CALLERS = { cart: [], orders: [], search: [], users: [] } as const;

/**
 * Layers, inside out: the store (MongoDB or embedded), a call counter (`storeStats`), the
 * product cache, a second call counter (`repositoryStats`), then loaders and the service. The
 * relay reads the store directly, so its polls neither touch the cache nor count as requests.
 */
export function createProductsSubgraph(config: ProductsConfig, options: ProductsSubgraphOptions = {}): Promise<ProductsSubgraph> {
  const { repository: givenStore, relayPollMs, clock = () => new Date(), ...deps } = options;
  return createSubgraph<ProductsContext, Omit<ProductsSubgraph, keyof RunnableSubgraph>>({
    name: 'products',
    typeDefs: loadSchema(import.meta.url),
    config,
    deps,
    callers: SERVICE_CALLERS,
    async wire({ bus, kv, logger, resource, worker }) {
      const store = givenStore ?? (await openStore(config, logger));
      if (!givenStore) resource(() => store.close());
      const counted = countRepositoryCalls(store);
      const cache = withProductCache(counted.repository, kv, { ttlSeconds: config.productCacheTtlSeconds, logger });
      const { repository, stats } = countRepositoryCalls(cache.repository);
      if (config.seedDemo) await loadDemoCatalog(repository, logger);

      const relay = startPendingEventRelay({ repository: store, bus, logger, pollMs: relayPollMs });
      resource(() => relay.stop());
      const service = createProductService({ repository, relay });
      worker(await startPrivacyParticipant({ bus, service: 'products', participant: createProductsPrivacy(repository), logger }));
      const imageStore = await openImageStore(config, clock, logger);
      return {
        resolvers: createResolvers(service, createCurrencyService({ repository, relay }), createImageService({ repository, relay, store: imageStore, clock })),
        routes: imageStore.routes,
        context: (base) => ({ ...base, loaders: createLoaders(repository), now: new Date() }),
        readiness: () => store.ping(),
        extras: { repositoryStats: stats, storeStats: counted.stats, cacheStats: cache.stats, relay: { flush: () => relay.flush() } },
      };
    },
  });
}

export const products: SubgraphDefinition<ProductsConfig, ProductsSubgraph> = {
  name: 'products',
  config: buildProductsConfig,
  postgres: false,
  create: createProductsSubgraph,
};

async function openImageStore(config: ProductsConfig, clock: () => Date, logger: Logger): Promise<ImageStore> {
  const images = config.images;
  if (images.kind === 'local') {
    logger.info('S3_BUCKET is not set: product pictures are uploaded to and served by this subgraph', { publicUrl: images.publicUrl });
    return createLocalImageStore({ publicUrl: images.publicUrl, dataDir: config.dataDir, clock });
  }
  // Loaded only when used: the SDK is large and development never needs it.
  const { createS3ImageStore } = await import('./images/s3.js');
  logger.info('product pictures in S3', { bucket: images.bucket, region: images.region, endpoint: images.endpoint });
  return createS3ImageStore(images);
}

async function openStore(config: ProductsConfig, logger: Logger): Promise<ProductRepository> {
  if (config.mongoUrl === undefined) {
    if (config.dataDir === undefined) {
      logger.warn('MONGO_URL and DATA_DIR are not set: using the embedded in-process store, which starts empty on every start');
      return createEmbeddedProductRepository();
    }
    const persistPath = join(config.dataDir, 'products');
    logger.info('MONGO_URL is not set: using the embedded store, journaled on disk', { path: persistPath });
    return createEmbeddedProductRepository({ persistPath });
  }
  const repository = await createMongoProductRepository({ url: config.mongoUrl, dbName: config.mongoDb });
  logger.info('connected to MongoDB', { url: redactUrl(config.mongoUrl, 'MONGO_URL'), db: config.mongoDb });
  return repository;
}

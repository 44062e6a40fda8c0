import { createLogger, createSubgraphServer, loadSchema, type Logger } from '@shop/subgraph-kit';
import type { ProductsConfig } from './config.js';
import type { ProductsContext } from './context.js';
import { createLoaders } from './loaders.js';
import type { ProductRepository } from './repository.js';
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
}

export interface ProductsSubgraph {
  listen(port: number, host?: string): Promise<{ url: string; port: number }>;
  /** Drains HTTP, then closes the store this subgraph opened. */
  stop(): Promise<void>;
  /** Store round trips made through the repository, so tests can prove batching. */
  repositoryStats: RepositoryStats;
}

export async function createProductsSubgraph(
  config: ProductsConfig,
  options: ProductsSubgraphOptions = {},
): Promise<ProductsSubgraph> {
  const logger = options.logger ?? createLogger({ service: 'products', level: config.logLevel });
  const owned = options.repository === undefined;
  const store = options.repository ?? (await openStore(config, logger));
  const { repository, stats } = countRepositoryCalls(store);
  try {
    if (config.seedDemo) await loadDemoCatalog(repository, logger);
  } catch (error) {
    if (owned) await store.close().catch(() => undefined);
    throw error;
  }

  const service = createProductService(repository);
  const server = createSubgraphServer<ProductsContext>({
    name: 'products',
    typeDefs: loadSchema(import.meta.url),
    resolvers: createResolvers(service),
    context: (base) => ({ ...base, loaders: createLoaders(repository), now: new Date() }),
    jwtSecret: config.jwtSecret,
    logger,
    readiness: () => repository.ping(),
  });

  return {
    listen: (port, host) => server.listen(port, host),
    async stop() {
      await server.stop();
      if (owned) await store.close();
    },
    repositoryStats: stats,
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

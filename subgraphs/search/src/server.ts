import { createEventBus, type EventBus } from '@shop/events';
import { createLogger, createSubgraphServer, loadSchema, type Logger } from '@shop/subgraph-kit';
import type { SearchConfig } from './config.js';
import type { SearchContext } from './context.js';
import type { SearchEngine } from './engine.js';
import { createElasticsearchEngine, redactUrl } from './engine/elasticsearch.js';
import { createEmbeddedSearchEngine } from './engine/embedded.js';
import { startIndexer } from './indexer.js';
import { reindexFromProducts, type ReindexResult } from './reindex.js';
import { createResolvers } from './resolvers.js';
import { createSearchService } from './service.js';

export interface SearchSubgraphOptions {
  logger?: Logger;
  /** Use this bus instead of the one `config` names; the caller keeps ownership and closes it. */
  bus?: EventBus;
  /** Use this engine instead of the one `config` names; the caller keeps ownership and closes it. */
  engine?: SearchEngine;
}

export interface SearchSubgraph {
  listen(port: number, host?: string): Promise<{ url: string; port: number }>;
  /** Drains HTTP, stops the indexer, then closes the bus and the engine this subgraph opened. */
  stop(): Promise<void>;
  /** The index searches read and the indexer writes. */
  engine: SearchEngine;
  /**
   * Rebuilds the index once from `sourceUrl` (default `config.reindexSourceUrl`), as
   * `reindexFromProducts` does: through the router's supergraph endpoint it also sets every
   * product's stock flag. Throws when the source cannot be read; `stop()` aborts it.
   */
  reindex(sourceUrl?: string): Promise<ReindexResult>;
}

/**
 * Opens the engine (Elasticsearch at `config.elasticsearchUrl`, else the embedded one), starts
 * the indexer on the bus (consumer group `search.indexer`) and builds the server; call `listen`
 * to serve. Nothing is left open when it throws.
 */
export async function createSearchSubgraph(config: SearchConfig, options: SearchSubgraphOptions = {}): Promise<SearchSubgraph> {
  const logger = options.logger ?? createLogger({ service: 'search', level: config.logLevel });
  const ownsEngine = options.engine === undefined;
  const engine = options.engine ?? (await openEngine(config, logger));
  const ownsBus = options.bus === undefined;
  const bus =
    options.bus ??
    createEventBus({
      redisUrl: config.redisUrl,
      onError: (error, event) => logger.warn('indexing an event failed, it will be retried', { error, eventId: event?.id, type: event?.type }),
    });
  if (ownsBus && bus.kind === 'memory') {
    logger.warn('REDIS_URL is not set: in-process event bus, so the index follows only events published in this process');
  }
  const closeOwned = async () => {
    await Promise.all([ownsBus ? bus.close() : undefined, ownsEngine ? engine.close() : undefined]);
  };

  try {
    const indexer = await startIndexer({ bus, engine, logger });
    const server = createSubgraphServer<SearchContext>({
      name: 'search',
      typeDefs: loadSchema(import.meta.url),
      resolvers: createResolvers(createSearchService(engine)),
      context: (base) => base,
      jwtSecret: config.jwtSecret,
      logger,
      readiness: () => engine.ping(),
    });
    let stopped: Promise<void> | null = null;
    const stopping = new AbortController();
    return {
      listen: (port, host) => server.listen(port, host),
      stop() {
        stopped ??= (async () => {
          stopping.abort();
          try {
            await server.stop();
            await indexer.stop();
          } finally {
            await closeOwned();
          }
        })();
        return stopped;
      },
      engine,
      async reindex(sourceUrl = config.reindexSourceUrl) {
        const result = await reindexFromProducts({ engine, sourceUrl, logger, signal: stopping.signal });
        logger.info('search index rebuilt', { ...result, sourceUrl });
        return result;
      },
    };
  } catch (error) {
    await closeOwned();
    throw error;
  }
}

async function openEngine(config: SearchConfig, logger: Logger): Promise<SearchEngine> {
  if (config.elasticsearchUrl === undefined) {
    logger.warn('ELASTICSEARCH_URL is not set: using the embedded search engine, which starts empty on every start');
    return createEmbeddedSearchEngine();
  }
  const engine = await createElasticsearchEngine({ url: config.elasticsearchUrl, index: config.elasticsearchIndex });
  logger.info('connected to Elasticsearch', { url: redactUrl(config.elasticsearchUrl), index: config.elasticsearchIndex });
  return engine;
}

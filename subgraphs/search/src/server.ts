import { redactUrl } from '@shop/config';
import { createSubgraph, loadSchema, type Logger, type RunnableSubgraph, type SubgraphDefinition, type SubgraphDeps } from '@shop/subgraph-kit';
import { buildSearchConfig, type SearchConfig } from './config.js';
import type { SearchContext } from './context.js';
import type { SearchRepository } from './repository.js';
import { createElasticsearchRepository } from './repository/elasticsearch.js';
import { createEmbeddedSearchRepository } from './repository/embedded.js';
import { startIndexer } from './indexer.js';
import { rebuildOnStart, reindexFromProducts, sourceAudience, type ReindexResult } from './reindex.js';
import { createResolvers } from './resolvers.js';
import { createSearchService } from './service.js';

export interface SearchSubgraphOptions extends SubgraphDeps {
  /** Use this repository instead of the one `config` names; the caller keeps ownership and closes it. */
  repository?: SearchRepository;
}

export interface SearchSubgraph extends RunnableSubgraph {
  /** The index searches read and the indexer writes. */
  repository: SearchRepository;
  /**
   * Rebuilds the index once from `sourceUrl` (default `config.reindexSourceUrl`), as
   * `reindexFromProducts` does: through the router's supergraph endpoint it also sets every
   * product's stock flag. Throws when the source cannot be read; `stop()` aborts it.
   */
  reindex(sourceUrl?: string): Promise<ReindexResult>;
  /** Rebuilds from `config.reindexSourceUrl` in the background, retrying while it does not answer yet (main.ts). */
  rebuildInBackground(): void;
}

/**
 * Opens the repository (Elasticsearch at `config.elasticsearchUrl`, else the embedded one) and
 * starts the indexer on the bus (consumer group `search.indexer`).
 */
export function createSearchSubgraph(config: SearchConfig, options: SearchSubgraphOptions = {}): Promise<SearchSubgraph> {
  const { repository: givenEngine, ...deps } = options;
  return createSubgraph<SearchContext, Omit<SearchSubgraph, keyof RunnableSubgraph>>({
    name: 'search',
    typeDefs: loadSchema(import.meta.url),
    config,
    deps,
    async wire({ bus, logger, worker, resource, stopping, serviceCredentials }) {
      const repository = givenEngine ?? (await openEngine(config, logger));
      if (!givenEngine) resource(() => repository.close());
      worker(await startIndexer({ bus, repository, logger }));
      let rebuilding: Promise<void> = Promise.resolve();
      // Stopping aborts a rebuild under way; this waits for it to let go of the repository.
      worker({ stop: () => rebuilding });
      const credentials = await serviceCredentials();
      const as = (sourceUrl: string) => ({ credentials, audience: sourceAudience(config, sourceUrl) });
      return {
        resolvers: createResolvers(createSearchService(repository)),
        context: (base) => base,
        readiness: () => repository.ping(),
        extras: {
          repository,
          async reindex(sourceUrl = config.reindexSourceUrl) {
            const result = await reindexFromProducts({ repository, sourceUrl, as: as(sourceUrl), logger, signal: stopping });
            logger.info('search index rebuilt', { ...result, sourceUrl });
            return result;
          },
          rebuildInBackground() {
            rebuilding = rebuildOnStart({ repository, sourceUrl: config.reindexSourceUrl, as: as(config.reindexSourceUrl), logger, signal: stopping });
          },
        },
      };
    },
  });
}

export const search: SubgraphDefinition<SearchConfig, SearchSubgraph> = {
  name: 'search',
  config: buildSearchConfig,
  postgres: false,
  create: createSearchSubgraph,
};

async function openEngine(config: SearchConfig, logger: Logger): Promise<SearchRepository> {
  if (config.elasticsearchUrl === undefined) {
    logger.warn('ELASTICSEARCH_URL is not set: using the embedded search index, which starts empty on every start');
    return createEmbeddedSearchRepository();
  }
  const repository = await createElasticsearchRepository({ url: config.elasticsearchUrl, index: config.elasticsearchIndex });
  logger.info('connected to Elasticsearch', { url: redactUrl(config.elasticsearchUrl, 'ELASTICSEARCH_URL'), index: config.elasticsearchIndex });
  return repository;
}

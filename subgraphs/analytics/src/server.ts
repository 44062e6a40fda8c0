import { createPostgresSubgraph, loadSchema, type PostgresSubgraph, type SubgraphDefinition, type SubgraphDeps } from '@shop/subgraph-kit';
import { buildAnalyticsConfig, type AnalyticsConfig } from './config.js';
import { consumeEvents } from './consumer.js';
import type { AnalyticsContext } from './context.js';
import { migrations } from './db/migrations/index.js';
import type { AnalyticsDatabase } from './db/schema.js';
import { createSalesReader } from './repository.js';
import { createResolvers } from './resolvers.js';
import { createAnalyticsService } from './service.js';

export type AnalyticsSubgraph = PostgresSubgraph;

/** Consumes order and payment events into sales aggregates; serves `salesReport` to admins. */
export function createAnalyticsSubgraph(config: AnalyticsConfig, deps: SubgraphDeps = {}): Promise<AnalyticsSubgraph> {
  return createPostgresSubgraph<AnalyticsDatabase, AnalyticsContext>({
    name: 'analytics',
    typeDefs: loadSchema(import.meta.url),
    config,
    deps,
    migrations,
    async wire({ db, bus, logger, worker }) {
      worker(await consumeEvents({ bus, db, logger }));
      const service = createAnalyticsService({ sales: createSalesReader(db), storeCurrency: config.storeCurrency });
      return { resolvers: createResolvers(service), context: (base) => base };
    },
  });
}

export const analytics: SubgraphDefinition<AnalyticsConfig, AnalyticsSubgraph> = {
  name: 'analytics',
  config: buildAnalyticsConfig,
  postgres: true,
  create: createAnalyticsSubgraph,
};

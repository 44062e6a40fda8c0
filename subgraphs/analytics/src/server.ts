import { createPostgresSubgraph, loadSchema, startPrivacyParticipant, type PostgresSubgraph, type SubgraphDefinition, type SubgraphDeps } from '@shop/subgraph-kit';
import { buildAnalyticsConfig, type AnalyticsConfig } from './config.js';
import { consumeCatalogEvents } from './catalogStatus.js';
import { consumeEvents } from './consumer.js';
import type { AnalyticsContext } from './context.js';
import { migrations } from './db/migrations/index.js';
import type { AnalyticsDatabase } from './db/schema.js';
import { createRecommendationsService } from './recommendations.js';
import { createSalesReader } from './repository.js';
import { createResolvers } from './resolvers.js';
import { createAnalyticsService } from './service.js';
import { createAnalyticsPrivacy } from './privacyRepository.js';

export type AnalyticsSubgraph = PostgresSubgraph;

/**
 * Consumes order and payment events into sales aggregates and purchase patterns; serves
 * `salesReport` to admins and recommendations (`Product.frequentlyBoughtTogether`, `recommendedForMe`).
 */
export function createAnalyticsSubgraph(config: AnalyticsConfig, deps: SubgraphDeps = {}): Promise<AnalyticsSubgraph> {
  return createPostgresSubgraph<AnalyticsDatabase, AnalyticsContext>({
    name: 'analytics',
    typeDefs: loadSchema(import.meta.url),
    config,
    deps,
    migrations,
    async wire({ db, background, bus, logger, worker }) {
      worker(await consumeEvents({ bus, db, logger }));
      worker(await consumeCatalogEvents({ bus, db: background, logger }));
      worker(await startPrivacyParticipant({ bus, service: 'analytics', participant: createAnalyticsPrivacy(background), logger }));
      const service = createAnalyticsService({ sales: createSalesReader(db), storeCurrency: config.storeCurrency });
      const recommendations = createRecommendationsService({ db });
      return { resolvers: createResolvers(service, recommendations), context: (base) => ({ ...base, loaders: recommendations.loaders() }) };
    },
  });
}

export const analytics: SubgraphDefinition<AnalyticsConfig, AnalyticsSubgraph> = {
  name: 'analytics',
  config: buildAnalyticsConfig,
  postgres: true,
  create: createAnalyticsSubgraph,
};

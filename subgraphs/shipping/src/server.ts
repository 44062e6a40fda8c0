import { createPostgresSubgraph, loadSchema, type PostgresSubgraph, type SubgraphDefinition, type SubgraphDeps } from '@shop/subgraph-kit';
import { createRouterCheckoutContextReader, type CheckoutContextReader } from './checkoutContext.js';
import { buildShippingConfig, type ShippingConfig } from './config.js';
import { createShippingContext, type ShippingContext } from './context.js';
import type { ShippingDatabase } from './db/schema.js';
import { migrations } from './db/migrations/index.js';
import { createRouterOrderReader, type OrderReader } from './orderReader.js';
import { createShippingRepository } from './repository.js';
import { createResolvers } from './resolvers.js';
import { createShippingService } from './service.js';

export type ShippingSubgraph = PostgresSubgraph;

export interface ShippingSubgraphOptions extends SubgraphDeps {
  /** Where addresses and carts come from; by default the router at `config.routerUrl`. */
  reader?: CheckoutContextReader;
  /** Where orders are read before shipping; by default the router at `config.routerUrl`. */
  orderReader?: OrderReader;
}

/** Migrates (seeding the default tariff on first run), publishes `shipment.*` events through the outbox. */
export function createShippingSubgraph(config: ShippingConfig, options: ShippingSubgraphOptions = {}): Promise<ShippingSubgraph> {
  const { reader, orderReader, ...deps } = options;
  return createPostgresSubgraph<ShippingDatabase, ShippingContext>({
    name: 'shipping',
    typeDefs: loadSchema(import.meta.url),
    config,
    deps,
    migrations,
    async wire({ db, wakeRelay, serviceCredentials }) {
      const repository = createShippingRepository(db);
      const router = { url: config.routerUrl, credentials: await serviceCredentials() };
      const checkoutReader = reader ?? createRouterCheckoutContextReader(router);
      const service = createShippingService(
        { defaultWeightGrams: config.defaultWeightGrams, freeShippingThreshold: config.freeShippingThreshold },
        { repository, orderReader: orderReader ?? createRouterOrderReader(router), published: wakeRelay },
      );
      return {
        resolvers: createResolvers(service),
        context: (base) => createShippingContext(base, repository, checkoutReader),
      };
    },
  });
}

export const shipping: SubgraphDefinition<ShippingConfig, ShippingSubgraph> = {
  name: 'shipping',
  config: buildShippingConfig,
  postgres: true,
  create: createShippingSubgraph,
};

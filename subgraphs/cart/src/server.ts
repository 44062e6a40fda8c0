import { createSubgraph, loadSchema, startPrivacyParticipant, type RunnableSubgraph, type SubgraphDefinition, type SubgraphDeps } from '@shop/subgraph-kit';
import { createProductsCatalog, type Catalog } from './catalog.js';
import { buildCartConfig, type CartConfig } from './config.js';
import type { CartContext } from './context.js';
import { createCartLoaders } from './loaders.js';
import { createCartPrivacy } from './privacy.js';
import { createOrdersPromotions, type Promotions } from './promotions.js';
import { createCartRepository } from './repository.js';
import { createResolvers } from './resolvers.js';
import { createUsersPreferences, type ShopperPreferences } from './shopper.js';
import { createCartService } from './service.js';
import { createCartHolds, forgettingWarnings } from './holds.js';
import { createInventoryHolds, type StockHolds } from './stockHolds.js';

export type CartSubgraph = RunnableSubgraph;

export interface CartSubgraphOptions extends SubgraphDeps {
  /** Replaces the products subgraph as the source of prices (tests). */
  catalog?: Catalog;
  /** Replaces the orders subgraph as the judge of promotion codes (tests). */
  promotions?: Promotions;
  /** Replaces the users subgraph as the source of shoppers' currencies (tests). */
  preferences?: ShopperPreferences;
  /** Replaces the inventory subgraph as the keeper of holds (tests). */
  stockHolds?: StockHolds;
}

/** Carts live in `kv`: Redis in production, in process otherwise (lost on restart, not shared between replicas). */
export function createCartSubgraph(config: CartConfig, options: CartSubgraphOptions = {}): Promise<CartSubgraph> {
  const { catalog, promotions, preferences, stockHolds, ...deps } = options;
  return createSubgraph<CartContext>({
    name: 'cart',
    typeDefs: loadSchema(import.meta.url),
    config,
    deps,
    async wire({ kv, bus, logger, worker, serviceCredentials }) {
      const clock = options.clock ?? (() => new Date());
      const repository = createCartRepository(kv, { ttlSeconds: config.cartTtlSeconds });
      const credentials = await serviceCredentials();
      const prices = catalog ?? createProductsCatalog({ url: config.productsUrl, credentials });
      const quotes = promotions ?? createOrdersPromotions({ url: config.ordersUrl, credentials });
      const shoppers = preferences ?? createUsersPreferences({ url: config.usersUrl, credentials });
      const stock = forgettingWarnings(stockHolds ?? createInventoryHolds({ url: config.inventoryUrl, credentials }), kv);
      const service = createCartService({ repository, stock, logger });
      const holds = createCartHolds({ service, repository, stock, kv, logger, clock });
      worker(await startPrivacyParticipant({ bus, service: 'cart', participant: createCartPrivacy(repository), logger }));
      worker(await holds.startWarnings(bus));
      return {
        resolvers: createResolvers(service, holds),
        context: (base) => ({ ...base, loaders: createCartLoaders(repository, prices, quotes, { authorization: base.authorization, preferences: shoppers }) }),
        readiness: () => repository.ping(),
      };
    },
  });
}

export const cart: SubgraphDefinition<CartConfig, CartSubgraph> = {
  name: 'cart',
  config: buildCartConfig,
  postgres: false,
  create: createCartSubgraph,
};

import { createPostgresSubgraph, loadSchema, startPrivacyParticipant, type PostgresSubgraph, type SubgraphDefinition, type SubgraphDeps } from '@shop/subgraph-kit';
import { createProductsCatalog, type Catalog } from './catalog.js';
import { buildOrdersConfig, type OrdersConfig } from './config.js';
import type { OrdersContext } from './context.js';
import { migrations } from './db/migrations/index.js';
import type { OrdersDatabase } from './db/schema.js';
import { createInventoryClient, type Inventory } from './inventory.js';
import { createOrdersLoaders } from './loaders.js';
import { createOrdersPrivacy } from './privacyRepository.js';
import { createPromotionsService } from './promotions.js';
import { createPromotionsRepository } from './promotionsRepository.js';
import { createOrdersRepository, type OrdersRepository } from './repository.js';
import { createRefundsService } from './refunds.js';
import { createResolvers } from './resolvers.js';
import { startSagaConsumers } from './saga.js';
import { createOrdersService } from './service.js';
import { feedStatusLog, orderStatusChangedField, orderStatusLog } from './statusEvents.js';
import { createRouterStorefront, type Storefront } from './storefront.js';

export type OrdersSubgraph = PostgresSubgraph;

/** The services besides the router that call orders, and what orders lets each of them do. */
export const SERVICE_CALLERS = {
  // Asks what a promotion code is worth for a cart, with the shopper's own token: no scope.
  cart: [],
} as const;

export interface OrdersSubgraphOptions extends SubgraphDeps {
  /** Replaces the products subgraph (prices) in tests; default: `config.productsUrl`. */
  catalog?: Catalog;
  /** Replaces the router (cart, address, shipping rate) in tests; default: `config.routerUrl`. */
  storefront?: Storefront;
  /** Replaces inventory (reservations) in tests; default: `config.inventoryUrl`. */
  inventory?: Inventory;
}

/**
 * Checkout and the order state machine. The saga consumers run on the background pool; `kv`
 * carries status-change events to subscribers on every replica.
 */
export function createOrdersSubgraph(config: OrdersConfig, options: OrdersSubgraphOptions = {}): Promise<OrdersSubgraph> {
  const { catalog, storefront, inventory, eventRetentionMs, ...deps } = options;
  if ((!config.routerUrl && !storefront) || (!config.inventoryUrl && !inventory)) {
    throw new Error('createOrdersSubgraph needs config.routerUrl and config.inventoryUrl (buildOrdersConfig sets them)');
  }
  return createPostgresSubgraph<OrdersDatabase, OrdersContext>({
    name: 'orders',
    typeDefs: loadSchema(import.meta.url),
    config,
    deps,
    migrations,
    callers: SERVICE_CALLERS,
    async wire({ db, background, bus, kv, logger, worker, wakeRelay, serviceCredentials }) {
      // Subscribers hear of status changes from the event log, which the outbox feeds: every
      // committed transition's `order.status_changed`, even one whose publishing a crash delayed.
      const statusLog = orderStatusLog(kv, logger, eventRetentionMs);
      worker(await feedStatusLog(bus, statusLog));
      const repositoryOn = (pool: typeof db) => wakingRelay(createOrdersRepository(pool), wakeRelay);
      const repository = repositoryOn(db);
      worker(await startSagaConsumers({ bus, repository: repositoryOn(background), logger }));
      worker(await startPrivacyParticipant({ bus, service: 'orders', participant: createOrdersPrivacy(background), logger }));
      const promotionsRepository = createPromotionsRepository(db);
      const promotions = createPromotionsService({ repository: promotionsRepository });
      const timeout = config.serviceTimeoutMs === undefined ? {} : { timeoutMs: config.serviceTimeoutMs };
      const service = createOrdersService({
        promotions,
        repository,
        catalog: catalog ?? createProductsCatalog({ url: config.productsUrl, credentials: await serviceCredentials(), ...timeout }),
        storefront: storefront ?? createRouterStorefront({ url: config.routerUrl, credentials: await serviceCredentials(), ...timeout }),
        inventory: inventory ?? createInventoryClient({ url: config.inventoryUrl, credentials: await serviceCredentials(), ...timeout }),
      });
      return {
        resolvers: { ...createResolvers(service, promotions, createRefundsService({ repository })), Subscription: { orderStatusChanged: orderStatusChangedField(statusLog, service) } },
        context: (base) => ({ ...base, loaders: createOrdersLoaders(repository, promotionsRepository) }),
      };
    },
  });
}

/** Wakes the relay after every committed write that enqueued events, so they go out at once. */
function wakingRelay(repository: OrdersRepository, wakeRelay: () => void): OrdersRepository {
  return {
    ...repository,
    async create(order, actor) {
      const created = await repository.create(order, actor);
      if (created) wakeRelay();
      return created;
    },
    async transition(orderId, from, to, actor, reason) {
      const changed = await repository.transition(orderId, from, to, actor, reason);
      if (changed) wakeRelay();
      return changed;
    },
    async applyEvent(consumer, event, orderId, decide) {
      const outcome = await repository.applyEvent(consumer, event, orderId, decide);
      if (outcome.changed) wakeRelay();
      return outcome;
    },
    async refund(request) {
      const result = await repository.refund(request);
      if (result && !result.replayed) wakeRelay();
      return result;
    },
  };
}

export const orders: SubgraphDefinition<OrdersConfig, OrdersSubgraph> = {
  name: 'orders',
  config: buildOrdersConfig,
  postgres: true,
  create: createOrdersSubgraph,
};

import {
  createPostgresSubgraph,
  loadSchema,
  startPrivacyParticipant,
  type PostgresSubgraph,
  type SubgraphDefinition,
  type SubgraphDeps,
} from '@shop/subgraph-kit';
import { buildInventoryConfig, type InventoryConfig } from './config.js';
import { startInventoryConsumers } from './consumers.js';
import { createInventoryContext, type InventoryContext } from './context.js';
import type { InventoryDatabase } from './db/schema.js';
import { migrations } from './db/migrations/index.js';
import { createStockRepository, type StockRepository } from './repository.js';
import { createReservationRepository } from './reservationRepository.js';
import { createReservationService, RESERVE_STOCK_SCOPE } from './reservationService.js';
import { createHoldRepository } from './holdRepository.js';
import { createHoldService, HOLD_STOCK_SCOPE } from './holdService.js';
import { createResolvers } from './resolvers.js';
import { createInventoryService } from './service.js';
import { feedStockLog, stockChangedField, stockLog } from './stockEvents.js';
import { startReservationSweeper } from './sweeper.js';
import { createInventoryPrivacy } from './privacyRepository.js';

export interface InventorySubgraph extends PostgresSubgraph {
  /** Expires every reservation that is due now, without waiting for the sweeper's next turn. */
  sweepReservations(): Promise<number>;
}

/** The services besides the router that call inventory, and what inventory lets each of them do. */
export const SERVICE_CALLERS = {
  // Checkout holds stock for the order it is placing, and gives it back when that fails.
  orders: [RESERVE_STOCK_SCOPE],
  // holdCart holds the stock of a shopper's cart while they check out.
  cart: [HOLD_STOCK_SCOPE],
} as const;

/**
 * Stock and reservations. Runs the `order.status_changed` consumers and the reservation sweeper
 * on the background pool; `kv` carries stock-change events to subscribers on every replica.
 */
export function createInventorySubgraph(config: InventoryConfig, options: SubgraphDeps = {}): Promise<InventorySubgraph> {
  // Reservations and cart holds are made and expired by `clock` (tests move it instead of waiting).
  const { clock = () => new Date(), eventRetentionMs, ...deps } = options;
  if (!(config.reservationTtlSeconds > 0) || !(config.reservationSweepMs > 0)) {
    throw new Error('inventory needs reservationTtlSeconds and reservationSweepMs (buildInventoryConfig sets them)');
  }
  return createPostgresSubgraph<InventoryDatabase, InventoryContext, Pick<InventorySubgraph, 'sweepReservations'>>({
    name: 'inventory',
    typeDefs: loadSchema(import.meta.url),
    config,
    deps,
    migrations,
    callers: SERVICE_CALLERS,
    async wire({ db, background, bus, kv, logger, worker, wakeRelay }) {
      // After a commit that moved stock, its outbox events go out now; subscribers hear of them
      // from the event log, which the outbox feeds (a crash before publishing only delays them).
      const stock = stockLog(kv, logger, eventRetentionMs);
      worker(await feedStockLog(bus, stock));
      const onStockChanged = (productIds: readonly string[]) => {
        if (productIds.length > 0) wakeRelay();
      };
      const repository = wakingRelay(createStockRepository(db), wakeRelay);
      const reservations = createReservationService({
        repository: createReservationRepository(db),
        defaultTtlSeconds: config.reservationTtlSeconds,
        clock,
        onStockChanged,
      });
      const holds = createHoldService({ repository: createHoldRepository(db), clock, onStockChanged });
      const backgroundReservations = createReservationRepository(background);
      worker(await startPrivacyParticipant({ bus, service: 'inventory', participant: createInventoryPrivacy(background), logger }));
      worker(await startInventoryConsumers({ bus, repository: backgroundReservations, logger, onStockChanged }));
      const sweeper = worker(
        startReservationSweeper({
          repository: backgroundReservations,
          holds: createHoldRepository(background),
          clock,
          intervalMs: config.reservationSweepMs,
          logger,
          onStockChanged,
          onEvents: wakeRelay,
        }),
      );
      const resolvers = createResolvers(createInventoryService(repository), reservations, holds);
      return {
        resolvers: { ...resolvers, Subscription: { stockChanged: stockChangedField(stock) } },
        context: (base) => createInventoryContext(base, repository),
        extras: { sweepReservations: () => sweeper.sweep() },
      };
    },
  });
}

/** Wakes the relay after each committed admin write, so its `stock.changed` goes out at once. */
function wakingRelay(repository: StockRepository, wakeRelay: () => void): StockRepository {
  return {
    ...repository,
    async setOnHand(writes, actorId) {
      const result = await repository.setOnHand(writes, actorId);
      if (result.ok) wakeRelay();
      return result;
    },
  };
}

export const inventory: SubgraphDefinition<InventoryConfig, InventorySubgraph> = {
  name: 'inventory',
  config: buildInventoryConfig,
  postgres: true,
  create: createInventorySubgraph,
};

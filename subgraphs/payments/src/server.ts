import { createMemoryBus, startOutboxRelay, type EventBus } from '@shop/events';
import { createPostgres, migrateToLatest, type QueryStats } from '@shop/postgres';
import { createLogger, createSubgraphServer, loadSchema, type Logger } from '@shop/subgraph-kit';
import type { PaymentsConfig } from './config.js';
import { consumeEvents } from './consumer.js';
import type { PaymentsContext } from './context.js';
import { migrations } from './db/migrations/index.js';
import type { PaymentsDatabase } from './db/schema.js';
import { createPaymentsLoaders } from './loaders.js';
import { createRouterOrderReader, type OrderReader } from './orderReader.js';
import type { PaymentProvider } from './providers/paymentProvider.js';
import { createSimulatedProvider } from './providers/simulatedProvider.js';
import { createStripeProvider } from './providers/stripeProvider.js';
import { createStripeWebhookRoute } from './providers/stripeWebhook.js';
import { createPaymentsRepository } from './repository.js';
import { resolvers } from './resolvers.js';
import { createPaymentsService } from './service.js';

export const WEBHOOK_PATH = '/webhooks/stripe';

export interface PaymentsSubgraph {
  listen(port: number, host?: string): Promise<{ url: string; port: number }>;
  /** Stops the consumer and the outbox relay, drains the HTTP server and closes the database pool. */
  stop(): Promise<void>;
  /** SQL statements sent by this subgraph, for N+1 tests and benchmarks. */
  sqlStats: QueryStats;
}

export interface PaymentsSubgraphOptions {
  logger?: Logger;
  /** Where payment events go and order events come from; an in-process bus (closed on stop) by default. */
  bus?: EventBus;
  /** Replaces the provider chosen from the config (Stripe with STRIPE_SECRET_KEY, simulated otherwise). */
  provider?: PaymentProvider;
  /** Replaces reading orders through the router at `config.routerUrl`. */
  orderReader?: OrderReader;
}

/**
 * Migrates the database, starts the outbox relay and the event consumer, and
 * wires the server (GraphQL plus `POST /webhooks/stripe`). `config.databaseUrl` must be set
 * (main.ts resolves an embedded one in development).
 */
export async function createPaymentsSubgraph(config: PaymentsConfig, options: PaymentsSubgraphOptions = {}): Promise<PaymentsSubgraph> {
  if (!config.databaseUrl) throw new Error('createPaymentsSubgraph needs config.databaseUrl (see resolveDatabase)');
  const logger = options.logger ?? createLogger({ service: 'payments', level: config.logLevel });
  const postgres = createPostgres<PaymentsDatabase>({ url: config.databaseUrl });
  try {
    const applied = await migrateToLatest(postgres.db, migrations);
    if (applied.length > 0) logger.info('migrated', { applied });
  } catch (error) {
    await postgres.destroy();
    throw error;
  }

  const provider = options.provider ?? chooseProvider(config, logger);
  const ownBus = options.bus ? null : createMemoryBus({ onError: (error, event) => logger.warn('event handler failed', { error, eventId: event.id }) });
  const bus = options.bus ?? ownBus!;
  // The relay polls on a pool of its own, so `sqlStats` counts only the work of requests.
  const relayStore = createPostgres<PaymentsDatabase>({ url: config.databaseUrl, maxConnections: 1 });
  const relay = startOutboxRelay({ db: relayStore.db, bus, onError: (error) => logger.error('outbox relay failed', { error }) });
  const repository = createPaymentsRepository(postgres.db);
  const service = createPaymentsService({
    repository,
    provider,
    orderReader: options.orderReader ?? createRouterOrderReader({ url: config.routerUrl }),
    published: () => relay.wake(),
    logger,
  });

  const stopStarted = async (...parts: Array<(() => Promise<void>) | undefined>) => {
    for (const part of parts) await part?.().catch((error: unknown) => logger.error('stopping failed', { error }));
  };
  let consumer;
  try {
    consumer = await consumeEvents({ bus, service, logger });
  } catch (error) {
    await stopStarted(() => relay.stop(), ownBus ? () => ownBus.close() : undefined, () => relayStore.destroy(), () => postgres.destroy());
    throw error;
  }

  const server = createSubgraphServer<PaymentsContext>({
    name: 'payments',
    typeDefs: loadSchema(import.meta.url),
    resolvers,
    context: (base) => ({ ...base, loaders: createPaymentsLoaders(repository), payments: service }),
    jwtSecret: config.jwtSecret,
    logger,
    readiness: () => postgres.ping(),
    routes: {
      [WEBHOOK_PATH]: createStripeWebhookRoute({
        secret: config.stripeWebhookSecret,
        apply: (event) => service.applyProviderEvent(event),
        logger,
      }),
    },
  });

  let stopped: Promise<void> | null = null;
  return {
    listen: (port, host) => server.listen(port, host),
    stop() {
      // The relay goes first: whatever commits while requests drain stays in the outbox and
      // is published by the next start.
      stopped ??= stopStarted(
        () => relay.stop(),
        () => consumer.stop(),
        () => server.stop(),
        ownBus ? () => ownBus.close() : undefined,
        () => relayStore.destroy(),
        () => postgres.destroy(),
      );
      return stopped;
    },
    sqlStats: postgres.stats,
  };
}

function chooseProvider(config: PaymentsConfig, logger: Logger): PaymentProvider {
  if (config.stripeSecretKey) return createStripeProvider({ secretKey: config.stripeSecretKey, apiBase: config.stripeApiBase });
  logger.warn('STRIPE_SECRET_KEY is not set: payments use the simulated provider (Stripe test cards, no real money)');
  return createSimulatedProvider();
}

import {
  createPostgresSubgraph,
  loadSchema,
  startPrivacyParticipant,
  type Logger,
  type PostgresSubgraph,
  type SubgraphDefinition,
  type SubgraphDeps,
} from '@shop/subgraph-kit';
import { buildPaymentsConfig, type PaymentsConfig } from './config.js';
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
import { createResolvers } from './resolvers.js';
import { createPaymentsService } from './service.js';
import { createPaymentsPrivacy } from './privacyRepository.js';

export const WEBHOOK_PATH = '/webhooks/stripe';

export type PaymentsSubgraph = PostgresSubgraph;

export interface PaymentsSubgraphOptions extends SubgraphDeps {
  /** Replaces the provider chosen from the config (Stripe with STRIPE_SECRET_KEY, simulated otherwise). */
  provider?: PaymentProvider;
  /** Replaces reading orders through the router at `config.routerUrl`. */
  orderReader?: OrderReader;
}

/**
 * Payments: GraphQL plus `POST /webhooks/stripe`; publishes `payment.*` through the outbox and
 * consumes order status changes (refunds).
 */
export function createPaymentsSubgraph(config: PaymentsConfig, options: PaymentsSubgraphOptions = {}): Promise<PaymentsSubgraph> {
  const { provider, orderReader, ...deps } = options;
  return createPostgresSubgraph<PaymentsDatabase, PaymentsContext>({
    name: 'payments',
    typeDefs: loadSchema(import.meta.url),
    config,
    deps,
    migrations,
    async wire({ db, bus, logger, worker, wakeRelay, serviceCredentials }) {
      const repository = createPaymentsRepository(db);
      const service = createPaymentsService({
        repository,
        provider: provider ?? chooseProvider(config, logger),
        orderReader: orderReader ?? createRouterOrderReader({ url: config.routerUrl, credentials: await serviceCredentials() }),
        published: wakeRelay,
        logger,
      });
      worker(await consumeEvents({ bus, service, logger }));
      worker(await startPrivacyParticipant({ bus, service: 'payments', participant: createPaymentsPrivacy(db), logger }));
      return {
        resolvers: createResolvers(service),
        context: (base) => ({ ...base, loaders: createPaymentsLoaders(repository) }),
        routes: {
          [WEBHOOK_PATH]: createStripeWebhookRoute({
            secret: config.stripeWebhookSecret,
            apply: (event) => service.applyProviderEvent(event),
            logger,
          }),
        },
      };
    },
  });
}

function chooseProvider(config: PaymentsConfig, logger: Logger): PaymentProvider {
  if (config.simulatedPayments) {
    logger.warn('PAYMENTS_SIMULATED=true: payments use the simulated provider (Stripe test cards, no real money); never for real customers');
    return createSimulatedProvider();
  }
  if (config.stripeSecretKey) return createStripeProvider({ secretKey: config.stripeSecretKey, apiBase: config.stripeApiBase });
  logger.warn('STRIPE_SECRET_KEY is not set: payments use the simulated provider (Stripe test cards, no real money)');
  return createSimulatedProvider();
}

export const payments: SubgraphDefinition<PaymentsConfig, PaymentsSubgraph> = {
  name: 'payments',
  config: buildPaymentsConfig,
  postgres: true,
  create: createPaymentsSubgraph,
};

import type { EnvReader } from '@shop/config';
import { LOG_LEVELS, readServiceTrust, type LogLevel, type ServiceTrustConfig } from '@shop/subgraph-kit';

export const DEFAULT_PORT = 4005;
export const DEFAULT_ROUTER_URL = 'http://localhost:4000/graphql';

export interface PaymentsConfig extends ServiceTrustConfig {
  port: number;
  /** Unset in development means "start an embedded PostgreSQL" (main.ts resolves it). */
  databaseUrl: string | undefined;
  /** The router's public GraphQL endpoint, where orders are read with the caller's credentials. */
  routerUrl: string;
  /**
   * PAYMENTS_SIMULATED=true: the simulated provider (Stripe's test cards, no money moves) even
   * with NODE_ENV=production, for a local trial of the production-shaped stack (docker compose);
   * logged as a warning at start. Never for real customers.
   */
  simulatedPayments: boolean;
  /** Stripe's secret API key; unset (development only) selects the simulated provider. */
  stripeSecretKey: string | undefined;
  /** The signing secret of the `/webhooks/stripe` endpoint; unset, webhooks are refused. */
  stripeWebhookSecret: string | undefined;
  /** Another server speaking Stripe's API (stripe-mock, a test stand-in); unset means api.stripe.com. */
  stripeApiBase: string | undefined;
  /** Redis Streams for domain events; unset (development only) means the in-process bus. */
  redisUrl: string | undefined;
  logLevel: LogLevel;
}

/** The only reader of the environment; use with `readConfig` / `loadConfigOrExit` from @shop/config. */
export function buildPaymentsConfig(env: EnvReader): PaymentsConfig {
  const simulatedPayments = env.bool('PAYMENTS_SIMULATED', false);
  // Production needs real Stripe keys unless the simulated provider is chosen explicitly.
  const stripeSecret = (name: string) => (simulatedPayments ? env.optional(name) : env.requiredInProduction(name));
  const stripeSecretKey = stripeSecret('STRIPE_SECRET_KEY');
  const stripeWebhookSecret = stripeSecret('STRIPE_WEBHOOK_SECRET');
  // Half a Stripe setup would charge cards whose outcome webhooks are then refused (or the
  // reverse): both or neither.
  if (!env.production || simulatedPayments) {
    if (stripeSecretKey !== undefined && stripeWebhookSecret === undefined) env.required('STRIPE_WEBHOOK_SECRET');
    if (stripeWebhookSecret !== undefined && stripeSecretKey === undefined) env.required('STRIPE_SECRET_KEY');
  }
  return {
    port: env.port('PORT', DEFAULT_PORT),
    databaseUrl: env.url('DATABASE_URL', { requiredInProduction: true, protocols: ['postgres', 'postgresql'] }),
    routerUrl: env.url('ROUTER_URL', { protocols: ['http', 'https'] }) ?? DEFAULT_ROUTER_URL,
    simulatedPayments,
    stripeSecretKey,
    stripeWebhookSecret,
    stripeApiBase: env.url('STRIPE_API_BASE', { protocols: ['http', 'https'] }),
    // Required in production: the in-process bus would keep payment events inside this process.
    redisUrl: env.url('REDIS_URL', { requiredInProduction: true, protocols: ['redis', 'rediss'] }),
    ...readServiceTrust(env),
    logLevel: env.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
  };
}

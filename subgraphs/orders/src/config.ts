import type { EnvReader } from '@shop/config';
import { LOG_LEVELS, readServiceTrust, type LogLevel, type ServiceTrustConfig } from '@shop/subgraph-kit';

export const DEFAULT_PRODUCTS_URL = 'http://localhost:4002/graphql';
export const DEFAULT_ROUTER_URL = 'http://localhost:4000/graphql';
export const DEFAULT_INVENTORY_URL = 'http://localhost:4003/graphql';

export interface OrdersConfig extends ServiceTrustConfig {
  port: number;
  /** Unset in development means "start an embedded PostgreSQL" (main.ts resolves it). */
  databaseUrl: string | undefined;
  /** The products subgraph's GraphQL endpoint, asked for prices at checkout. */
  productsUrl: string;
  /** The router's public endpoint: checkout reads cart, address and shipping rate there. */
  routerUrl: string;
  /** The inventory subgraph's endpoint: checkout reserves stock there (`@inaccessible` fields). */
  inventoryUrl: string;
  /** Redis for the event bus and status-change pub/sub; unset in development means in-process. */
  redisUrl: string | undefined;
  /**
   * Deadline of each call checkout makes to the router, products and inventory; unset keeps each
   * client's own (5 s, inventory 10 s). Raise it with the router's SUBGRAPH_TIMEOUT_MS: a call
   * that times out inside checkout fails the checkout with SUBGRAPH_UNAVAILABLE.
   */
  serviceTimeoutMs: number | undefined;
  logLevel: LogLevel;
}

/** The only reader of the environment; use with `readConfig` / `loadConfigOrExit` from @shop/config. */
export function buildOrdersConfig(env: EnvReader): OrdersConfig {
  return {
    port: env.port('PORT', 4004),
    databaseUrl: env.url('DATABASE_URL', { requiredInProduction: true, protocols: ['postgres', 'postgresql'] }),
    productsUrl: env.url('PRODUCTS_URL', { protocols: ['http', 'https'] }) ?? DEFAULT_PRODUCTS_URL,
    routerUrl: env.url('ROUTER_URL', { protocols: ['http', 'https'] }) ?? DEFAULT_ROUTER_URL,
    inventoryUrl: env.url('INVENTORY_URL', { protocols: ['http', 'https'] }) ?? DEFAULT_INVENTORY_URL,
    redisUrl: env.url('REDIS_URL', { requiredInProduction: true, protocols: ['redis', 'rediss'] }),
    serviceTimeoutMs: env.optional('SERVICE_TIMEOUT_MS') === undefined ? undefined : env.int('SERVICE_TIMEOUT_MS', 5000, { min: 100, max: 600_000 }),
    ...readServiceTrust(env),
    logLevel: env.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
  };
}

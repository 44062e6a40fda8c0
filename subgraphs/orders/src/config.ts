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
    ...readServiceTrust(env),
    logLevel: env.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
  };
}

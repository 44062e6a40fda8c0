import type { EnvReader } from '@shop/config';
import { LOG_LEVELS, readServiceTrust, type LogLevel, type ServiceTrustConfig } from '@shop/subgraph-kit';

export const DEFAULT_PRODUCTS_URL = 'http://localhost:4002/graphql';
export const DEFAULT_ORDERS_URL = 'http://localhost:4004/graphql';
export const DEFAULT_USERS_URL = 'http://localhost:4001/graphql';
export const DEFAULT_INVENTORY_URL = 'http://localhost:4003/graphql';
export const DEFAULT_CART_TTL_SECONDS = 7 * 24 * 60 * 60;

export interface CartConfig extends ServiceTrustConfig {
  port: number;
  /** Unset in development means "keep carts in process" (lost on restart). */
  redisUrl: string | undefined;
  /** The products subgraph's GraphQL endpoint, asked for current prices. */
  productsUrl: string;
  /** The orders subgraph's GraphQL endpoint, asked what a promotion code is worth. */
  ordersUrl: string;
  /** The users subgraph's GraphQL endpoint, asked for a signed-in shopper's currency. */
  usersUrl: string;
  /** The inventory subgraph's GraphQL endpoint, where `holdCart` holds stock. */
  inventoryUrl: string;
  /** How long a cart lives after its last change or read. */
  cartTtlSeconds: number;
  logLevel: LogLevel;
}

/** The only reader of the environment; use with `readConfig` / `loadConfigOrExit` from @shop/config. */
export function buildCartConfig(env: EnvReader): CartConfig {
  return {
    port: env.port('PORT', 4006),
    redisUrl: env.url('REDIS_URL', { requiredInProduction: true, protocols: ['redis', 'rediss'] }),
    productsUrl: env.url('PRODUCTS_URL', { protocols: ['http', 'https'] }) ?? DEFAULT_PRODUCTS_URL,
    ordersUrl: env.url('ORDERS_URL', { protocols: ['http', 'https'] }) ?? DEFAULT_ORDERS_URL,
    usersUrl: env.url('USERS_URL', { protocols: ['http', 'https'] }) ?? DEFAULT_USERS_URL,
    inventoryUrl: env.url('INVENTORY_URL', { protocols: ['http', 'https'] }) ?? DEFAULT_INVENTORY_URL,
    cartTtlSeconds: env.int('CART_TTL_SECONDS', DEFAULT_CART_TTL_SECONDS, { min: 60, max: 365 * 24 * 60 * 60 }),
    ...readServiceTrust(env),
    logLevel: env.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
  };
}

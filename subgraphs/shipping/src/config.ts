import type { EnvReader } from '@shop/config';
import { MoneyError, parseAmount, type Money } from '@shop/money';
import { LOG_LEVELS, readServiceTrust, type LogLevel, type ServiceTrustConfig } from '@shop/subgraph-kit';

export interface ShippingConfig extends ServiceTrustConfig {
  port: number;
  /** Unset in development means "start an embedded PostgreSQL" (main.ts); required in production. */
  databaseUrl: string | undefined;
  /** The router's public endpoint, asked for the caller's addresses and cart, and for orders. */
  routerUrl: string;
  /** Redis Streams for events; unset in development means the in-process bus. */
  redisUrl: string | undefined;
  /** What a product without a weight counts as, in grams. */
  defaultWeightGrams: number;
  /** A cart subtotal at or above this ships standard for free; null: never free. */
  freeShippingThreshold: Money | null;
  logLevel: LogLevel;
}

export const DEFAULT_PORT = 4008;
export const DEFAULT_ROUTER_URL = 'http://localhost:4000/graphql';
export const DEFAULT_WEIGHT_GRAMS = 500;
/** The currency of a threshold given without one: the currency of the seeded tariff. */
export const DEFAULT_THRESHOLD_CURRENCY = 'EUR';

/** The only reader of the environment; use with `readConfig` / `loadConfigOrExit` from @shop/config. */
export function buildShippingConfig(env: EnvReader): ShippingConfig {
  return {
    port: env.port('PORT', DEFAULT_PORT),
    databaseUrl: env.url('DATABASE_URL', { requiredInProduction: true, protocols: ['postgres', 'postgresql'] }),
    // In production the default would point each container at itself, so it must be named.
    routerUrl: env.url('ROUTER_URL', { requiredInProduction: true, protocols: ['http', 'https'] }) ?? DEFAULT_ROUTER_URL,
    redisUrl: env.url('REDIS_URL', { requiredInProduction: true, protocols: ['redis', 'rediss'] }),
    defaultWeightGrams: env.int('DEFAULT_WEIGHT_GRAMS', DEFAULT_WEIGHT_GRAMS, { min: 0, max: 1_000_000 }),
    freeShippingThreshold: readThreshold(env),
    ...readServiceTrust(env),
    logLevel: env.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
  };
}

const THRESHOLD_FORMAT = 'a decimal amount with an optional currency, e.g. "50.00" or "50.00 EUR"';

/** `FREE_SHIPPING_THRESHOLD`: "50.00" (EUR) or "50.00 EUR" / "5000 JPY"; unset: no free shipping. */
function readThreshold(env: EnvReader): Money | null {
  const raw = env.checked('FREE_SHIPPING_THRESHOLD', (value) => (parseThreshold(value) === null ? `must be ${THRESHOLD_FORMAT}, got "${value}"` : null));
  return raw === undefined ? null : parseThreshold(raw);
}

export function parseThreshold(raw: string): Money | null {
  const match = /^(\S+)(?:\s+([A-Z]{3}))?$/.exec(raw.trim());
  if (!match) return null;
  const currency = match[2] ?? DEFAULT_THRESHOLD_CURRENCY;
  try {
    return { minor: parseAmount(match[1]!, currency), currency };
  } catch (error) {
    if (error instanceof MoneyError) return null;
    throw error;
  }
}

import type { EnvReader } from '@shop/config';
import { isIsoCurrency } from '@shop/money';
import { LOG_LEVELS, readServiceTrust, type LogLevel, type ServiceTrustConfig } from '@shop/subgraph-kit';

export const DEFAULT_PORT = 4010;
export const DEFAULT_STORE_CURRENCY = 'EUR';

export interface AnalyticsConfig extends ServiceTrustConfig {
  port: number;
  /** Unset in development means "start an embedded PostgreSQL" (main.ts resolves it). */
  databaseUrl: string | undefined;
  /** Redis Streams for domain events; unset (development only) means the in-process bus. */
  redisUrl: string | undefined;
  /** The one currency reports are in; sales in any other currency are kept but not reported. */
  storeCurrency: string;
  logLevel: LogLevel;
}

/** The only reader of the environment; use with `readConfig` / `loadConfigOrExit` from @shop/config. */
export function buildAnalyticsConfig(env: EnvReader): AnalyticsConfig {
  const storeCurrency =
    env.checked('STORE_CURRENCY', (value) => (isIsoCurrency(value) ? null : `must be an ISO 4217 code in capitals such as EUR, got "${value}"`)) ??
    DEFAULT_STORE_CURRENCY;
  return {
    port: env.port('PORT', DEFAULT_PORT),
    databaseUrl: env.url('DATABASE_URL', { requiredInProduction: true, protocols: ['postgres', 'postgresql'] }),
    // Required in production: the in-process bus would never see the other services' events.
    redisUrl: env.url('REDIS_URL', { requiredInProduction: true, protocols: ['redis', 'rediss'] }),
    storeCurrency,
    ...readServiceTrust(env),
    logLevel: env.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
  };
}

import type { EnvReader } from '@shop/config';
import { LOG_LEVELS, readServiceTrust, type LogLevel, type ServiceTrustConfig } from '@shop/subgraph-kit';

export interface InventoryConfig extends ServiceTrustConfig {
  port: number;
  /** Unset in development means "start an embedded PostgreSQL" (main.ts); required in production. */
  databaseUrl: string | undefined;
  logLevel: LogLevel;
  /** Redis for the event bus (and the key-value store); unset in development means in-process. */
  redisUrl: string | undefined;
  /** How long checkout's stock stays held for an unpaid order when it asks for no other time. */
  reservationTtlSeconds: number;
  /** How often the sweeper looks for expired reservations. */
  reservationSweepMs: number;
}

export const DEFAULT_RESERVATION_TTL_SECONDS = 900;
export const DEFAULT_RESERVATION_SWEEP_MS = 5_000;
/** The longest a reservation may be held: a day. */
export const MAX_RESERVATION_TTL_SECONDS = 86_400;

export function buildInventoryConfig(env: EnvReader): InventoryConfig {
  return {
    port: env.port('PORT', 4003),
    databaseUrl: env.url('DATABASE_URL', { requiredInProduction: true, protocols: ['postgres', 'postgresql'] }),
    ...readServiceTrust(env),
    logLevel: env.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
    redisUrl: env.url('REDIS_URL', { requiredInProduction: true, protocols: ['redis', 'rediss'] }),
    reservationTtlSeconds: env.int('RESERVATION_TTL_SECONDS', DEFAULT_RESERVATION_TTL_SECONDS, {
      min: 1,
      max: MAX_RESERVATION_TTL_SECONDS,
    }),
    reservationSweepMs: env.int('RESERVATION_SWEEP_MS', DEFAULT_RESERVATION_SWEEP_MS, { min: 10, max: 3_600_000 }),
  };
}
